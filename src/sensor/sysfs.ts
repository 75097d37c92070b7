/**
 * Reading sysfs attributes. Every attribute is a small text file the driver regenerates on each
 * read, so a plain readFile is both correct and cheap; what matters is turning garbage into a
 * typed error and a missing class directory into "no devices".
 */
import { readdir, readFile } from 'node:fs/promises';
import { SensorValueError } from './types.js';

/**
 * The attribute's text without surrounding whitespace. `signal` is checked before the open and
 * between reads; an open that blocks in the kernel (a stuck bus, a FIFO) cannot be interrupted
 * and settles only when the kernel returns, which is what lets the caller know the threadpool
 * thread is free again.
 */
export async function readAttribute(path: string, signal?: AbortSignal): Promise<string> {
  const text = await readFile(path, { encoding: 'utf8', signal });
  return text.trim();
}

/** The attribute as a finite number; SensorValueError for anything else (empty, `abc`, `nan`). */
export async function readNumber(path: string, signal?: AbortSignal): Promise<number> {
  return parseAttributeNumber(path, await readAttribute(path, signal));
}

export function parseAttributeNumber(path: string, text: string): number {
  // Number('') is 0 and Number(' ') is 0: reject blanks before converting.
  const value = text === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value)) throw new SensorValueError(path, text);
  return value;
}

/**
 * Names in `dir` matching `pattern`, in natural order (`hwmon2` before `hwmon10`). A directory
 * that does not exist means the kernel has no such class: that is an empty list, not an error.
 */
export async function listEntries(dir: string, pattern: RegExp): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if (isNotFound(err)) return [];
    throw err;
  }
  return names.filter((name) => pattern.test(name)).sort(naturalCompare);
}

const collator = new Intl.Collator('en', { numeric: true });

export function naturalCompare(a: string, b: string): number {
  return collator.compare(a, b);
}

export function isNotFound(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
