/**
 * Counts fsync and fdatasync calls of running processes over a window with `strace -c -f`.
 * Attaching ptrace slows every system call of the traced process, so only the flash benchmark
 * uses it (its figures are writes, not CPU) and the idle benchmark never does.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

const SYSCALLS = ['fsync', 'fdatasync'];

export function straceAvailable(): boolean {
  try {
    execFileSync('strace', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface FsyncCounter {
  /** Detaches and returns the calls counted since start. */
  stop(): Promise<number>;
}

export function countFsyncs(pids: readonly number[], outputFile: string): FsyncCounter {
  const child: ChildProcess = spawn(
    'strace',
    [
      '-c',
      '-f',
      '-e',
      `trace=${SYSCALLS.join(',')}`,
      '-o',
      outputFile,
      ...pids.flatMap((p) => ['-p', String(p)]),
    ],
    { stdio: 'ignore' },
  );
  return {
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGINT');
        await exited;
      }
      let text = '';
      try {
        text = readFileSync(outputFile, 'utf8');
      } catch {
        return Number.NaN;
      }
      rmSync(outputFile, { force: true });
      return parseStraceSummary(text);
    },
  };
}

/** Sum of the `calls` column of the fsync and fdatasync rows of `strace -c` output. */
export function parseStraceSummary(text: string): number {
  let calls = 0;
  for (const line of text.split('\n')) {
    const cells = line.trim().split(/\s+/);
    if (SYSCALLS.includes(cells.at(-1) as string)) calls += Number(cells[3]);
  }
  return calls;
}
