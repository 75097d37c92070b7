/**
 * What each option kind means for values: how a raw flag, environment or YAML value parses,
 * how a value is shown, and the numeric ranges, as one table row per kind (KINDS).
 */
import { EdgewatchError, ErrorCode } from '../errors.js';
import type { NumberOption, Option, OptionKind } from './option.js';
import { formatBytes, formatDuration, parseBytes, parseDuration } from './units.js';

export function valuePlaceholder(option: Option): string {
  return option.kind === 'enum' ? option.allowed.join('|') : KINDS[option.kind].placeholder;
}

export function formatDefault(option: Option): string {
  if (option.defaultText !== undefined) return option.defaultText;
  if (option.secret) return '(none)';
  return KINDS[option.kind].format(option.default);
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
  const rules = KINDS[option.kind] as KindRules<Option>;
  const value = rules.parse(raw, option, fail);
  if (isNumeric(option)) {
    const n = value as number;
    const { min, max } = optionBounds(option);
    if (min !== undefined && n < min) fail(`must be at least ${formatBound(option, min)}`);
    if (max !== undefined && n > max) fail(`must be at most ${formatBound(option, max)}`);
  }
  const problem = (option.check as ((v: unknown) => string | undefined) | undefined)?.(value);
  if (problem !== undefined) fail(problem);
  return value;
}

type Fail = (allowed: string) => never;

/** Everything that differs by kind, in one row per kind. */
interface KindRules<O extends Option> {
  /** The value's shape in --help and the reference (enums list their values instead). */
  readonly placeholder: string;
  /** A flag, environment or YAML value into the option's type; `fail` says what is allowed. */
  readonly parse: (raw: unknown, option: O, fail: Fail) => unknown;
  /** A value as --help, the reference and error messages show it. */
  readonly format: (value: unknown) => string;
  /** Has a range (min, max), checked after parsing. */
  readonly numeric: boolean;
}

type OptionOfKind<K extends OptionKind> = Extract<Option, { readonly kind: K }> &
  (K extends NumberOption['kind'] ? NumberOption : unknown);

function parseNumber(raw: unknown, integer: boolean, fail: Fail): number {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    fail(`expected a ${integer ? 'whole number' : 'number'}`);
  }
  return n;
}

const plain = (value: unknown): string => String(value);

const KINDS: { readonly [K in OptionKind]: KindRules<OptionOfKind<K>> } = {
  string: {
    placeholder: 'STRING',
    numeric: false,
    parse: (raw, _option, fail) =>
      typeof raw === 'string' || typeof raw === 'number' ? String(raw) : fail('expected a string'),
    format: (value) => (value === '' ? '(empty)' : String(value)),
  },
  int: {
    placeholder: 'NUMBER',
    numeric: true,
    parse: (raw, _o, fail) => parseNumber(raw, true, fail),
    format: plain,
  },
  number: {
    placeholder: 'NUMBER',
    numeric: true,
    parse: (raw, _o, fail) => parseNumber(raw, false, fail),
    format: plain,
  },
  bool: {
    placeholder: 'BOOL',
    numeric: false,
    parse: (raw, _option, fail) => {
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === '1' || raw === 'yes') return true;
      if (raw === 'false' || raw === '0' || raw === 'no') return false;
      return fail('expected true or false');
    },
    format: plain,
  },
  duration: {
    placeholder: 'DURATION',
    numeric: true,
    parse: (raw, _option, fail) =>
      parseDuration(raw) ?? fail('expected a duration such as 500ms, 5s, 1m or 24h'),
    format: (value) => formatDuration(value as number),
  },
  bytes: {
    placeholder: 'BYTES',
    numeric: true,
    parse: (raw, _option, fail) =>
      parseBytes(raw) ??
      fail('expected a size such as 512KiB, 32MiB, 300M or 1GiB (K, M, G are powers of 1024)'),
    format: (value) => formatBytes(value as number),
  },
  enum: {
    placeholder: 'ENUM',
    numeric: false,
    parse: (raw, option, fail) =>
      typeof raw === 'string' && option.allowed.includes(raw)
        ? raw
        : fail(`allowed: ${option.allowed.join(', ')}`),
    format: plain,
  },
  list: {
    placeholder: 'LIST',
    numeric: false,
    parse: (raw, option, fail) => {
      let items: unknown[];
      if (Array.isArray(raw)) items = raw;
      else if (typeof raw === 'string') items = raw === '' ? [] : raw.split(',');
      else items = fail('expected a comma-separated list');
      const strings = items.map((item) => String(item).trim()).filter((item) => item !== '');
      const bad = option.allowed && strings.find((item) => !option.allowed?.includes(item));
      if (bad) fail(`"${bad}" is not one of ${option.allowed?.join(', ')}`);
      return strings;
    },
    format: (value) => ((value as string[]).length === 0 ? '(empty)' : (value as string[]).join(',')),
  },
  json: {
    placeholder: 'YAML',
    numeric: false,
    parse: (raw, option, fail) => {
      let decoded: unknown = raw;
      if (typeof raw === 'string') {
        try {
          decoded = JSON.parse(raw);
        } catch {
          fail('expected JSON (or a YAML structure in the config file)');
        }
      }
      try {
        return option.decode(decoded);
      } catch (err) {
        return fail(err instanceof Error ? err.message : String(err));
      }
    },
    format: (value) => JSON.stringify(value),
  },
};

function isNumeric(option: Option): option is NumberOption {
  return KINDS[option.kind].numeric;
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
  return KINDS[option.kind].format(x);
}

/** "Range: 1s to 24d." for --help and the reference, or undefined for unbounded options. */
export function describeBounds(option: Option): string | undefined {
  if (!isNumeric(option)) return undefined;
  const { min, max } = optionBounds(option);
  if (min === undefined && max === undefined) return undefined;
  if (max === undefined) return `Minimum: ${formatBound(option, min as number)}.`;
  if (min === undefined) return `Maximum: ${formatBound(option, max)}.`;
  return `Range: ${formatBound(option, min)} to ${formatBound(option, max)}.`;
}
