/**
 * Reading sysfs attributes. Every attribute is a small text file the driver regenerates on each
 * read; what matters is reading it cheaply, turning garbage into a typed error and a missing
 * class directory into "no devices".
 */
import { close, open, read } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { SensorValueError } from './types.js';

/** sysfs hands out an attribute in one read of at most a page; ours are numbers and names. */
const maxAttributeBytes = 1024;

/**
 * The attribute's text without surrounding whitespace.
 *
 * One open, one read, one close with the callback API: fs.promises.readFile adds an fstat and
 * FileHandle bookkeeping, ~120 µs of CPU per attribute against ~60 µs here, and sampling cost is
 * what sets edgewatch's idle CPU. (Keeping descriptors open would be cheaper still, but an open
 * descriptor keeps reading a deleted file, and re-opening is what notices a device that left.)
 *
 * `signal` is checked before the open and after it; an open or read that blocks in the kernel
 * (a stuck bus, a FIFO) cannot be interrupted and settles only when the kernel returns, which is
 * what tells the caller that the threadpool thread is free again.
 */
export function readAttribute(path: string, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(aborted(signal));
      return;
    }
    open(path, 'r', (openError, fd) => {
      if (openError) {
        reject(openError);
        return;
      }
      if (signal?.aborted) {
        close(fd, () => reject(aborted(signal)));
        return;
      }
      const buffer = Buffer.allocUnsafe(maxAttributeBytes);
      read(fd, buffer, 0, maxAttributeBytes, 0, (readError, bytes) => {
        close(fd, () => {});
        if (readError) reject(readError);
        else resolve(buffer.toString('utf8', 0, bytes).trim());
      });
    });
  });
}

/** The attribute as a finite number; SensorValueError for anything else (empty, `abc`, `nan`). */
export async function readNumber(path: string, signal?: AbortSignal): Promise<number> {
  return parseAttributeNumber(path, await readAttribute(path, signal));
}

function parseAttributeNumber(path: string, text: string): number {
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

/**
 * Compares names with their trailing numbers as numbers (`hwmon2` < `hwmon10`). Not
 * Intl.Collator: loading ICU's collation data adds ~4 MB of resident memory for one sort.
 */
export function naturalCompare(a: string, b: string): number {
  const [, aStem = a, aNum] = /^(.*?)(\d*)$/.exec(a) ?? [];
  const [, bStem = b, bNum] = /^(.*?)(\d*)$/.exec(b) ?? [];
  if (aStem !== bStem) return aStem < bStem ? -1 : 1;
  return (aNum === '' ? -1 : Number(aNum)) - (bNum === '' ? -1 : Number(bNum));
}

export function isNotFound(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Rejects the way fs.promises does on abort: an AbortError whose cause is the signal's reason. */
function aborted(signal: AbortSignal): Error {
  const error = new Error('The operation was aborted', { cause: signal.reason });
  error.name = 'AbortError';
  return error;
}
