/**
 * A process's memory from /proc/<pid>/smaps_rollup (Linux 4.14+): the kernel's sum over every
 * mapping, one small read instead of walking /proc/<pid>/smaps.
 *
 * PSS is what the budget counts: pages shared between processes (the same binary's text, shared
 * libraries) are split between them, so the components' PSS add up to what the stack really
 * takes, where RSS would count shared pages once per process.
 */
import { readFile } from 'node:fs/promises';

export interface MemoryUsage {
  /** Resident set size, bytes. */
  readonly rss: number;
  /** Proportional set size, bytes. */
  readonly pss: number;
  /** Anonymous memory (heap, stacks): what cannot be dropped without swap, bytes. */
  readonly anon: number;
  /**
   * File-backed memory (mapped binary, libraries, data files): `Pss_File` where the kernel reports
   * it (5.10+), else RSS minus anonymous. The kernel can drop these pages under pressure.
   */
  readonly file: number;
}

/** Parses smaps_rollup text; fields are in kB. Throws when Rss or Pss is missing. */
export function parseSmapsRollup(text: string): MemoryUsage {
  const kb = new Map<string, number>();
  for (const m of text.matchAll(/^(\w+):\s+(\d+) kB$/gm)) kb.set(m[1] as string, Number(m[2]) * 1024);
  const rss = kb.get('Rss');
  const pss = kb.get('Pss');
  if (rss === undefined || pss === undefined) throw new Error('smaps_rollup: no Rss or Pss line');
  const anon = kb.get('Anonymous') ?? 0;
  return { rss, pss, anon, file: kb.get('Pss_File') ?? rss - anon };
}

/** Undefined when the process no longer exists (it exited between listing and reading). */
export async function readProcessMemory(pid: number, procfsRoot = '/proc'): Promise<MemoryUsage | undefined> {
  let text: string;
  try {
    text = await readFile(`${procfsRoot}/${pid}/smaps_rollup`, 'utf8');
  } catch (err) {
    // ESRCH: the process exited while the kernel was walking its mappings.
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') return undefined;
    throw err;
  }
  // A zombie (exited, not yet reaped) has no mappings left: an empty file.
  return text.trim() === '' ? undefined : parseSmapsRollup(text);
}
