/**
 * One child process: spawn it, know when it has exited, stop it with SIGTERM and then SIGKILL
 * after a grace period, and describe how it ended. A library: knows no component.
 */
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the process could not be spawned at all. */
  readonly error?: Error;
}

export interface RunningChild {
  readonly child: ChildProcess;
  readonly pid: number | undefined;
  /** Date.now() at spawn. */
  readonly startedAt: number;
  /** Resolves after 'close' (output pipes drained) or a spawn error. */
  readonly exited: Promise<ExitInfo>;
  /** Set once exited. */
  exit?: ExitInfo;
}

export function spawnChild(command: string, args: readonly string[], options: SpawnOptions): RunningChild {
  const child = spawn(command, args, options);
  const exited = new Promise<ExitInfo>((resolve) => {
    // 'close', not 'exit': it comes after the output pipes are drained, so a failure report has
    // the last lines the process wrote.
    child.once('close', (code, signal) => resolve({ code, signal }));
    // Spawning itself failed (the binary vanished): no exit event follows.
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
  });
  const run: RunningChild = { child, pid: child.pid, startedAt: Date.now(), exited };
  exited.then((exit) => {
    run.exit = exit;
  });
  return run;
}

/**
 * SIGTERM, then SIGKILL when it has not exited after `graceMs`; resolves once it has exited.
 * `onKill` is called just before the SIGKILL (to log it).
 */
export async function stopChild(run: RunningChild, graceMs: number, onKill?: () => void): Promise<void> {
  if (run.exit !== undefined) return;
  run.child.kill('SIGTERM');
  if (await exitsWithin(run, graceMs)) return;
  onKill?.();
  run.child.kill('SIGKILL');
  await run.exited;
}

export function describeExit(exit: ExitInfo | undefined): string {
  if (!exit) return 'still running';
  if (exit.error) return `could not be spawned: ${exit.error.message}`;
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
}

/** Whether the run exits within `ms`; the timer is cleared either way, so it never holds the process. */
async function exitsWithin(run: RunningChild, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const exited = await Promise.race([run.exited.then(() => true), timeout]);
  clearTimeout(timer);
  return exited;
}
