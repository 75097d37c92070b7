/**
 * `edgewatch up` started inside the verify cgroup. A small shell writes its own pid into the
 * cgroup's procs files and only then execs bin/edgewatch, so edgewatch and every component it
 * spawns are inside from their first instruction: nothing runs, allocates or forks outside the
 * limits. The verify process itself stays outside, measuring.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { RecentLines, readLines } from '../stack/output.js';
import type { Cgroup } from './cgroup.js';

/** Exit status of the wrapper when it could not enter the cgroup. */
const ENTER_FAILED_EXIT = 97;
const OUTPUT_LINES = 40;

/** `sh -c ENTER sh <n> <procs files…> <command…>`: enter, then exec the command. */
const ENTER = `n=$1; shift
while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit ${ENTER_FAILED_EXIT}; shift; n=$((n - 1)); done
exec "$@"`;

export interface StackProcess {
  readonly pid: number | undefined;
  /** The last lines of edgewatch's output, for failure reports. */
  readonly output: RecentLines;
  /** Resolves with a description of how the process ended. */
  readonly exited: Promise<string>;
  /** SIGTERM (edgewatch stops its components), SIGKILL after `graceMs`. */
  stop(graceMs: number): Promise<void>;
}

export function spawnInCgroup(cgroup: Cgroup, command: string, args: readonly string[]): StackProcess {
  const procs = cgroup.procsFiles;
  const child: ChildProcess = spawn(
    '/bin/sh',
    ['-c', ENTER, 'sh', String(procs.length), ...procs, command, ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output = new RecentLines(OUTPUT_LINES);
  const push = (line: string) => output.push(line);
  if (child.stdout) readLines(child.stdout, push);
  if (child.stderr) readLines(child.stderr, push);
  let done = false;
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      if (code === ENTER_FAILED_EXIT) resolve(`could not enter the cgroup (${procs.join(', ')})`);
      else resolve(signal ? `killed by ${signal}` : `exit code ${code}`);
    });
    child.once('error', (err) => {
      done = true;
      resolve(`could not be spawned: ${err.message}`);
    });
  });

  return {
    pid: child.pid,
    output,
    exited,
    stop: async (graceMs) => {
      if (done) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
