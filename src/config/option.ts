/**
 * One definition per option: its name, type, unit, default and description. The same object
 * drives the command-line flag, the environment variable, the YAML key, `--help` and the
 * README's configuration reference, so the four can never disagree.
 *
 * Naming follows the Prometheus ecosystem: dotted flag names with kebab-case words
 * (`--web.listen-address`), snake_case YAML keys under the dotted path (`web: {listen_address: …}`),
 * and `EDGEWATCH_` + upper snake case for the environment (`EDGEWATCH_WEB_LISTEN_ADDRESS`).
 */

export type OptionKind =
  | 'string'
  | 'int'
  | 'number'
  | 'bool'
  | 'duration'
  | 'bytes'
  | 'enum'
  | 'list'
  | 'json';

interface OptionBase<T> {
  /** Dotted kebab-case name, e.g. `sensor.read-timeout`. */
  readonly name: string;
  readonly kind: OptionKind;
  readonly description: string;
  readonly default: T;
  /** Shown in --help and the README instead of the formatted default, e.g. "(none)". */
  readonly defaultText?: string;
  /**
   * Unit in words where the kind does not already say it, e.g. "°C" or "ratio 0..1" (a duration
   * or a size needs none: its value carries its unit, as in 5s or 32MiB).
   */
  readonly unit?: string;
  /** Values are never printed (logs, --help defaults, error messages). */
  readonly secret?: boolean;
  /** Only settable in the YAML file (structured values). */
  readonly fileOnly?: boolean;
  /** Extra check after parsing; returns what is allowed when the value is not. */
  readonly check?: (value: T) => string | undefined;
}

export interface StringOption extends OptionBase<string> {
  readonly kind: 'string';
}
export interface NumberOption extends OptionBase<number> {
  readonly kind: 'int' | 'number' | 'duration' | 'bytes';
  readonly min?: number;
  readonly max?: number;
  /** A duration handed to another program or used as a range, never a Node timer: no 24-day ceiling. */
  readonly notATimer?: boolean;
}
export interface BoolOption extends OptionBase<boolean> {
  readonly kind: 'bool';
}
export interface EnumOption<E extends string = string> extends OptionBase<E> {
  readonly kind: 'enum';
  readonly allowed: readonly E[];
}
export interface ListOption extends OptionBase<readonly string[]> {
  readonly kind: 'list';
  /** When set, every element must be one of these. */
  readonly allowed?: readonly string[];
}
export interface JsonOption<T = unknown> extends OptionBase<T> {
  readonly kind: 'json';
  /** Turns the YAML/JSON value into T or throws an Error whose message says what is wrong. */
  readonly decode: (raw: unknown) => T;
}

export type Option =
  | StringOption
  | NumberOption
  | BoolOption
  | EnumOption
  | ListOption
  // biome-ignore lint/suspicious/noExplicitAny: heterogeneous option lists hold any decoded type
  | JsonOption<any>;

/**
 * The parsed value's type, by kind: an enum keeps the literal union of its `allowed` list (so a
 * log level is a LogLevel without a cast), a JSON option its decoder's result.
 */
export type OptionValue<O> = O extends { readonly kind: 'enum'; readonly allowed: readonly (infer E)[] }
  ? E
  : O extends { readonly kind: 'json'; readonly decode: (raw: unknown) => infer T }
    ? T
    : O extends { readonly kind: 'int' | 'number' | 'duration' | 'bytes' }
      ? number
      : O extends { readonly kind: 'bool' }
        ? boolean
        : O extends { readonly kind: 'list'; readonly allowed: readonly (infer E)[] }
          ? readonly E[]
          : O extends { readonly kind: 'list' }
            ? readonly string[]
            : O extends { readonly kind: 'string' }
              ? string
              : never;

/** `const`, so that an enum's `allowed` list keeps its literal types for OptionValue. */
export function defineOptions<const T extends Record<string, Option>>(options: T): T {
  return options;
}

export function flagName(option: Option): string {
  return `--${option.name}`;
}

export function envName(option: Option): string {
  return `EDGEWATCH_${option.name.replace(/[.-]/g, '_').toUpperCase()}`;
}

/** YAML path segments: dots separate levels, kebab-case words become snake_case. */
export function yamlPath(option: Option): string[] {
  return option.name.split('.').map((part) => part.replace(/-/g, '_'));
}

/** Where a raw value came from, named the way the operator wrote it. */
export type ValueOrigin = 'flag' | 'env' | 'file' | 'default';

export function originName(option: Option, origin: ValueOrigin, file?: string): string {
  switch (origin) {
    case 'flag':
      return flagName(option);
    case 'env':
      return envName(option);
    case 'file':
      return `${yamlPath(option).join('.')} in ${file ?? 'the config file'}`;
    default:
      return `the default of ${flagName(option)}`;
  }
}
