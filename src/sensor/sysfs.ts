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
    acquireSlot(path, signal).then((release) => {
      open(path, 'r', (openError, fd) => {
        if (openError) {
          release();
          reject(openError);
          return;
        }
        if (signal?.aborted) {
          close(fd, release);
          reject(aborted(signal));
          return;
        }
        const buffer = Buffer.allocUnsafe(maxAttributeBytes);
        read(fd, buffer, 0, maxAttributeBytes, 0, (readError, bytes) => {
          close(fd, release);
          if (readError) reject(readError);
          else resolve(buffer.toString('utf8', 0, bytes).trim());
        });
      });
    }, reject);
  });
}

/**
 * Read slots: how many libuv threadpool threads attribute reads may hold at once. An open or
 * read that hangs in the kernel (a wedged I2C bus; a FIFO in place of temp1_input) holds its
 * thread until the kernel returns, and with all threads held every fs call of the process
 * stalls: statfs, /proc/self/fd, smaps, the dashboard's files. Keeping `reserve` threads out
 * of the sensors' reach leaves those working whatever the sensors do. bin/edgewatch runs with
 * UV_THREADPOOL_SIZE=16 (libuv's default is 4), so up to 14 hung sensors cost only themselves.
 */
const poolSize = Number.parseInt(process.env.UV_THREADPOOL_SIZE ?? '', 10) || 4;
const reserve = 2;
export const readSlots = Math.max(1, poolSize - reserve);
/** Paths whose read holds a slot now. */
const holders = new Set<{ readonly path: string }>();
const waiters: Array<() => void> = [];

/** Raised for a read that found every slot held by reads hung in the kernel. */
export class ReadSlotsExhaustedError extends Error {
  readonly code = 'EW_READ_SLOTS';
  constructor(path: string, held: readonly string[]) {
    super(`${path}: not read: all ${held.length} read slots are held by hung reads of ${held.join(', ')}`);
    this.name = 'ReadSlotsExhaustedError';
  }
}

/** Paths whose read holds a read slot now; when every slot is held, these are the hung reads. */
export function heldReadPaths(): string[] {
  return [...holders].map((h) => h.path);
}

function acquireSlot(path: string, signal: AbortSignal | undefined): Promise<() => void> {
  const take = (): (() => void) => {
    const holder = { path };
    holders.add(holder);
    return () => {
      holders.delete(holder);
      waiters.shift()?.();
    };
  };
  if (holders.size < readSlots) return Promise.resolve(take());
  return new Promise((resolve, reject) => {
    const wake = () => {
      signal?.removeEventListener('abort', onAbort);
      resolve(take());
    };
    const onAbort = () => {
      const i = waiters.indexOf(wake);
      if (i !== -1) waiters.splice(i, 1);
      reject(
        new ReadSlotsExhaustedError(
          path,
          [...holders].map((h) => h.path),
        ),
      );
    };
    waiters.push(wake);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The attribute as a finite number; SensorValueError for anything else (empty, `abc`, `nan`). */
export async function readNumber(path: string, signal?: AbortSignal): Promise<number> {
  return parseAttributeNumber(path, await readAttribute(path, signal));
}

/**
 * A decimal number (`0.001000000`, iio's `_scale` and `_offset`). Number() alone would take
 * `0x7530`, `1e3`, ` ` (0) and `Infinity`: the kernel prints none of those.
 */
export function parseAttributeNumber(path: string, text: string): number {
  const value = decimalRe.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value)) throw new SensorValueError(path, text);
  return value;
}

/**
 * The kernel ABI's measurement attributes (hwmon `temp1_input`, iio `_input`/`_raw`, thermal
 * `temp`) are decimal integers: anything else (`0x7530`, `21.5`, `1e4`) is driver garbage.
 */
export function parseAttributeInteger(path: string, text: string): number {
  const value = integerRe.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value)) throw new SensorValueError(path, text, 'not a decimal integer');
  return value;
}

/** The attribute as a decimal integer; SensorValueError for anything else. */
export async function readInteger(path: string, signal?: AbortSignal): Promise<number> {
  return parseAttributeInteger(path, await readAttribute(path, signal));
}

const integerRe = /^-?\d+$/;
const decimalRe = /^-?\d+(\.\d+)?$/;

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
