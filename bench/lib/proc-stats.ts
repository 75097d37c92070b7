/** Reads a process's CPU time and memory from procfs, precisely enough for idle-CPU figures. */
import { readdirSync, readFileSync } from 'node:fs';

/** CPU time of every thread of `pid`, in ms, from schedstat (nanoseconds; /proc/pid/stat only has 10 ms ticks). */
export function cpuMs(pid: number): number {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // A thread that exited between listing and reading.
    }
  }
  return ns / 1e6;
}

export interface MemoryStats {
  rssBytes: number;
  anonBytes: number;
  fileBytes: number;
  pssBytes: number;
}

export function memory(pid: number): MemoryStats {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (text: string, key: string) =>
    Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  return {
    rssBytes: kb(status, 'VmRSS'),
    anonBytes: kb(status, 'RssAnon'),
    fileBytes: kb(status, 'RssFile'),
    pssBytes: kb(rollup, 'Pss'),
  };
}

export function hardware(): string {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model =
    /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ??
    /^Model\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ??
    'unknown CPU';
  const cpus = cpuinfo.match(/^processor\s*:/gm)?.length ?? 0;
  const memKb = Number(/^MemTotal:\s+(\d+)/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0);
  return `${model}, ${cpus} CPUs, ${(memKb / 1024 / 1024).toFixed(1)} GiB RAM, Linux, Node.js ${process.version}`;
}
