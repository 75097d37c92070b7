/**
 * One definition per option: its name, type, unit, default and description. The same object
 * drives the command-line flag, the environment variable, the YAML key, `--help` and the
 * README's configuration reference, so the four can never disagree.
 *
 * Naming follows the Prometheus ecosystem: dotted flag names with kebab-case words
 * (`--web.listen-address`), snake_case YAML keys under the dotted path (`web: {listen_address: …}`),
 * and `EDGEWATCH_` + upper snake case for the environment (`EDGEWATCH_WEB_LISTEN_ADDRESS`).
 */
import { EdgewatchError, ErrorCode } from '../errors.js';
import { formatBytes, formatDuration, parseBytes, parseDuration } from './units.js';

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
  /** Unit in words for the reference, e.g. "seconds" or "bytes". */
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

export type OptionValue<O> = O extends OptionBase<infer T> ? T : never;

export function defineOptions<T extends Record<string, Option>>(options: T): T {
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

export function valuePlaceholder(option: Option): string {
  switch (option.kind) {
    case 'enum':
      return option.allowed.join('|');
    case 'list':
      return 'LIST';
    case 'duration':
      return 'DURATION';
    case 'bytes':
      return 'BYTES';
    case 'int':
    case 'number':
      return 'NUMBER';
    case 'bool':
      return 'BOOL';
    case 'json':
      return 'YAML';
    default:
      return 'STRING';
  }
}

export function formatDefault(option: Option): string {
  if (option.defaultText !== undefined) return option.defaultText;
  if (option.secret) return '(none)';
  const value = option.default as unknown;
  switch (option.kind) {
    case 'duration':
      return formatDuration(value as number);
    case 'bytes':
      return formatBytes(value as number);
    case 'list':
      return (value as string[]).length === 0 ? '(empty)' : (value as string[]).join(',');
    case 'string':
      return value === '' ? '(empty)' : String(value);
    case 'json':
      return JSON.stringify(value);
    default:
      return String(value);
  }
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

/**
 * Parses one raw value (a string from a flag or the environment, or any YAML value) into the
 * option's type. Throws EdgewatchError(CONFIG_INVALID) naming the option, the value and what is
 * allowed.
 */
export function parseOptionValue(option: Option, raw: unknown, where: string): unknown {
  const fail = (allowed: string): never => {
    const shown = option.secret ? '(hidden)' : JSON.stringify(raw);
    throw new EdgewatchError(ErrorCode.CONFIG_INVALID, `invalid value ${shown} for ${where}: ${allowed}`);
  };
  let value: unknown;
  switch (option.kind) {
    case 'string':
      if (typeof raw !== 'string' && typeof raw !== 'number') fail('expected a string');
      value = String(raw);
      break;
    case 'bool':
      if (typeof raw === 'boolean') value = raw;
      else if (raw === 'true' || raw === '1' || raw === 'yes') value = true;
      else if (raw === 'false' || raw === '0' || raw === 'no') value = false;
      else fail('expected true or false');
      break;
    case 'int':
    case 'number': {
      const n =
        typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(n)) fail(`expected a ${option.kind === 'int' ? 'whole number' : 'number'}`);
      if (option.kind === 'int' && !Number.isInteger(n)) fail('expected a whole number');
      value = n;
      break;
    }
    case 'duration': {
      const ms = parseDuration(raw);
      if (ms === undefined) fail('expected a duration such as 500ms, 5s, 1m or 24h');
      value = ms;
      break;
    }
    case 'bytes': {
      const bytes = parseBytes(raw);
      if (bytes === undefined)
        fail('expected a size such as 512KiB, 32MiB, 300M or 1GiB (K, M, G are powers of 1024)');
      value = bytes;
      break;
    }
    case 'enum':
      if (typeof raw !== 'string' || !option.allowed.includes(raw))
        fail(`allowed: ${option.allowed.join(', ')}`);
      value = raw;
      break;
    case 'list': {
      let items: unknown[];
      if (Array.isArray(raw)) items = raw;
      else if (typeof raw === 'string') items = raw === '' ? [] : raw.split(',');
      else items = fail('expected a comma-separated list');
      const strings = items.map((item) => String(item).trim()).filter((item) => item !== '');
      if (option.allowed) {
        const bad = strings.find((item) => !option.allowed?.includes(item));
        if (bad !== undefined) fail(`"${bad}" is not one of ${option.allowed.join(', ')}`);
      }
      value = strings;
      break;
    }
    case 'json': {
      let decoded: unknown = raw;
      if (typeof raw === 'string') {
        try {
          decoded = JSON.parse(raw);
        } catch {
          fail('expected JSON (or a YAML structure in the config file)');
        }
      }
      try {
        value = option.decode(decoded);
      } catch (err) {
        fail(err instanceof Error ? err.message : String(err));
      }
      break;
    }
  }
  if (
    option.kind === 'int' ||
    option.kind === 'number' ||
    option.kind === 'duration' ||
    option.kind === 'bytes'
  ) {
    const n = value as number;
    const { min, max } = optionBounds(option);
    if (min !== undefined && n < min) fail(`must be at least ${formatBound(option, min)}`);
    if (max !== undefined && n > max) fail(`must be at most ${formatBound(option, max)}`);
  }
  const problem = (option.check as ((v: unknown) => string | undefined) | undefined)?.(value);
  if (problem !== undefined) fail(problem);
  return value;
}

/**
 * Node's timers hold at most 2^31 − 1 ms (~24.8 days); a longer delay fires after 1 ms, so
 * `--query.timeout=25d` used to time every query out at once. Every duration is a timer
 * somewhere, so each has this ceiling unless it declares a lower one.
 */
export const MAX_TIMER_MS = 24 * 24 * 3600 * 1000;

/** The range a numeric option accepts, with the timer ceiling applied to durations. */
export function optionBounds(option: NumberOption): { min?: number; max?: number } {
  const max =
    option.kind === 'duration' && !option.notATimer
      ? Math.min(option.max ?? MAX_TIMER_MS, MAX_TIMER_MS)
      : option.max;
  return { min: option.min, max };
}

export function formatBound(option: NumberOption, x: number): string {
  return option.kind === 'duration'
    ? formatDuration(x)
    : option.kind === 'bytes'
      ? formatBytes(x)
      : String(x);
}

/** "Range: 1s to 24d." for --help and the reference, or undefined for unbounded options. */
export function describeBounds(option: Option): string | undefined {
  if (
    option.kind !== 'int' &&
    option.kind !== 'number' &&
    option.kind !== 'duration' &&
    option.kind !== 'bytes'
  ) {
    return undefined;
  }
  const { min, max } = optionBounds(option);
  if (min === undefined && max === undefined) return undefined;
  if (max === undefined) return `Minimum: ${formatBound(option, min as number)}.`;
  if (min === undefined) return `Maximum: ${formatBound(option, max)}.`;
  return `Range: ${formatBound(option, min)} to ${formatBound(option, max)}.`;
}
