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

/**
 * Repeats of one message from one component are logged once per this window, with how many were
 * left out: with the disk full, VictoriaMetrics writes "cannot flush promscrape data to storage"
 * at every scrape of every target (~190 lines a minute at 1 s scrapes), which would bury the line
 * that matters and wear the same card that is full.
 */
const REPEAT_WINDOW_MS = 60_000;
/** Distinct messages remembered per component; the oldest is forgotten beyond it. */
const REPEATS_TRACKED = 64;

interface Repeats {
  /** Until when repeats are left out, epoch ms. */
  until: number;
  suppressed: number;
}

/**
 * Keyed by the component's logger (the supervisor gives each component its own child logger), so
 * the state lives and dies with the component without the supervisor holding it.
 */
const repeatsByLog = new WeakMap<Logger, Map<string, Repeats>>();

/** undefined: leave the line out; otherwise log it, with how many repeats were left out. */
function admit(log: Logger, message: string, now: number): { repeated?: number } | undefined {
  let seen = repeatsByLog.get(log);
  if (!seen) {
    seen = new Map();
    repeatsByLog.set(log, seen);
  }
  const entry = seen.get(message);
  if (entry && now < entry.until) {
    entry.suppressed++;
    return undefined;
  }
  seen.delete(message);
  if (seen.size >= REPEATS_TRACKED) seen.delete(seen.keys().next().value as string);
  seen.set(message, { until: now + REPEAT_WINDOW_MS, suppressed: 0 });
  return entry && entry.suppressed > 0 ? { repeated: entry.suppressed } : {};
}

/**
 * Forwards one line of a component's output: its warnings as warn, errors (and fatal, panic) as
 * error, the rest at debug. Lines that are not VictoriaMetrics JSON (a Go panic's stack, usage
 * text) go to debug too: a crash is reported once, with the last lines, when the process exits.
 * A warning or error repeated within a minute is logged once, then with `repeated` (its count).
 */
export function forwardLine(log: Logger, line: string, now = Date.now()): void {
  const parsed = parseVmLine(line);
  if (!parsed) {
    log.debug('output', { line });
    return;
  }
  const fields = parsed.caller ? { caller: parsed.caller } : {};
  const level =
    parsed.level === 'warn' ? 'warn' : ['error', 'fatal', 'panic'].includes(parsed.level) ? 'error' : 'debug';
  if (level === 'debug') {
    log.debug(parsed.msg, fields);
    return;
  }
  const admitted = admit(log, parsed.msg, now);
  if (admitted) log[level](parsed.msg, { ...fields, ...admitted });
}
