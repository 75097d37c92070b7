/**
 * A component's stdout and stderr: kept as a bounded buffer of recent lines (for failure reports
 * and crash logs), with its warnings and errors forwarded into edgewatch's own JSON log.
 */
import type { Readable } from 'node:stream';
import type { Logger } from '../log/logger.js';

/** Longest line kept; a runaway line without newlines must not grow memory. */
const MAX_LINE_CHARS = 2000;

/** The most recent lines, oldest first; older ones are dropped. */
export class RecentLines {
  readonly #lines: string[] = [];

  constructor(private readonly capacity: number) {}

  push(line: string): void {
    this.#lines.push(line);
    if (this.#lines.length > this.capacity) this.#lines.shift();
  }

  last(count: number): string[] {
    return this.#lines.slice(-count);
  }

  clear(): void {
    this.#lines.length = 0;
  }
}

/** Calls `onLine` for every line of `stream`, cutting lines at MAX_LINE_CHARS. */
export function readLines(stream: Readable, onLine: (line: string) => void): void {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    partial += chunk;
    let newline = partial.indexOf('\n');
    while (newline !== -1) {
      onLine(partial.slice(0, Math.min(newline, MAX_LINE_CHARS)));
      partial = partial.slice(newline + 1);
      newline = partial.indexOf('\n');
    }
    if (partial.length > MAX_LINE_CHARS) {
      onLine(partial.slice(0, MAX_LINE_CHARS));
      partial = '';
    }
  });
  stream.on('end', () => {
    if (partial !== '') onLine(partial);
  });
}

/** A line of VictoriaMetrics' `-loggerFormat=json` output. */
interface VmLogLine {
  level: string;
  msg: string;
  caller?: string;
}

function parseVmLine(line: string): VmLogLine | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(line) as Partial<VmLogLine>;
    return typeof parsed.level === 'string' && typeof parsed.msg === 'string'
      ? (parsed as VmLogLine)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A warning or error seen again within this long of the last one forwarded is counted, not logged. */
export const REPEAT_WINDOW_MS = 60_000;
/** Distinct repeating lines tracked per component; beyond it the oldest is forgotten. */
const MAX_TRACKED = 256;

/**
 * Forwards a component's output: its warnings as warn, errors (and fatal, panic) as error, the
 * rest at debug. Lines that are not VictoriaMetrics JSON (a Go panic's stack, usage text) go to
 * debug too: a crash is reported once, with the last lines, when the process exits.
 *
 * A warning or error from the same place in the component's code (its `caller`, else its first
 * 80 characters) is forwarded at most once per REPEAT_WINDOW_MS, with how many were held back
 * since: on a full disk VictoriaMetrics logs ~190 errors a minute, which would fill the journal
 * (and wear the card) with one fault.
 */
export class LogForwarder {
  /** Key → when it was last forwarded and how many were held back since; insertion order is age. */
  readonly #seen = new Map<string, { at: number; held: number }>();

  constructor(
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  forward(line: string): void {
    const parsed = parseVmLine(line);
    if (!parsed) {
      this.log.debug('output', { line });
      return;
    }
    const level = LEVELS[parsed.level] ?? 'debug';
    if (level === 'debug') {
      this.log.debug(parsed.msg, parsed.caller ? { caller: parsed.caller } : undefined);
      return;
    }
    const key = `${level} ${parsed.caller ?? parsed.msg.slice(0, 80)}`;
    const now = this.now();
    const seen = this.#seen.get(key);
    if (seen && now - seen.at < REPEAT_WINDOW_MS) {
      seen.held++;
      return;
    }
    this.#seen.delete(key);
    this.#seen.set(key, { at: now, held: 0 });
    if (this.#seen.size > MAX_TRACKED) this.#seen.delete(this.#seen.keys().next().value as string);
    const fields: Record<string, unknown> = {};
    if (parsed.caller) fields.caller = parsed.caller;
    if (seen && seen.held > 0) fields.repeated_since_last = seen.held;
    this.log[level](parsed.msg, fields);
  }
}

const LEVELS: Partial<Record<string, 'warn' | 'error'>> = {
  warn: 'warn',
  error: 'error',
  fatal: 'error',
  panic: 'error',
};
