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

/**
 * Forwards one line of a component's output: its warnings as warn, errors (and fatal, panic) as
 * error, the rest at debug. Lines that are not VictoriaMetrics JSON (a Go panic's stack, usage
 * text) go to debug too: a crash is reported once, with the last lines, when the process exits.
 */
export function forwardLine(log: Logger, line: string): void {
  const parsed = parseVmLine(line);
  if (!parsed) {
    log.debug('output', { line });
    return;
  }
  const fields = parsed.caller ? { caller: parsed.caller } : undefined;
  switch (parsed.level) {
    case 'warn':
      log.warn(parsed.msg, fields);
      break;
    case 'error':
    case 'fatal':
    case 'panic':
      log.error(parsed.msg, fields);
      break;
    default:
      log.debug(parsed.msg, fields);
  }
}
