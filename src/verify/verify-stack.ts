/**
 * `edgewatch up` started inside the verify cgroup. A small shell writes its own pid into the
 * cgroup's procs files and only then execs bin/edgewatch, so edgewatch and every component it
 * spawns are inside from their first instruction: nothing runs, allocates or forks outside the
 * limits. The verify process itself stays outside, measuring.
 */
import { describeExit, spawnChild, stopChild } from '../process/child-runner.js';
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
  const run = spawnChild('/bin/sh', ['-c', ENTER, 'sh', String(procs.length), ...procs, command, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = new RecentLines(OUTPUT_LINES);
  const push = (line: string) => output.push(line);
  if (run.child.stdout) readLines(run.child.stdout, push);
  if (run.child.stderr) readLines(run.child.stderr, push);
  const exited = run.exited.then((exit) =>
    exit.code === ENTER_FAILED_EXIT ? `could not enter the cgroup (${procs.join(', ')})` : describeExit(exit),
  );
  return { pid: run.pid, output, exited, stop: (graceMs) => stopChild(run, graceMs) };
}
