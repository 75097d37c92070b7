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
  /** Set once exited ('close': the output pipes are drained too). */
  exit?: ExitInfo;
  /**
   * Set when the process itself has exited, which can be long before 'close': something it
   * started in the background (`siren &`) may hold its output pipes open.
   */
  processExit?: ExitInfo;
}

export interface StopOptions {
  /** Signal the child's whole process group (it must lead one: spawned with `detached`). */
  readonly group?: boolean;
  /** Called just before the SIGKILL (to log it). */
  readonly onKill?: () => void;
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
  child.once('exit', (code, signal) => {
    run.processExit = { code, signal };
  });
  exited.then((exit) => {
    run.exit = exit;
  });
  return run;
}

/** SIGTERM, then SIGKILL when it has not exited after `graceMs`; resolves once it has exited. */
export async function stopChild(
  run: RunningChild,
  graceMs: number,
  options: StopOptions = {},
): Promise<void> {
  if (run.exit !== undefined) return;
  signalChild(run, 'SIGTERM', options.group);
  if (await exitsWithin(run, graceMs)) return;
  options.onKill?.();
  signalChild(run, 'SIGKILL', options.group);
  await run.exited;
}

/** Sends `signal` to the child, or to its whole process group; a child already gone is no error. */
export function signalChild(run: RunningChild, signal: NodeJS.Signals, group = false): void {
  if (run.pid === undefined) return;
  try {
    process.kill(group ? -run.pid : run.pid, signal);
  } catch {
    // Already gone.
  }
}

/** The exact command, as a shell would take it: for failure reports. */
export function commandLine(env: Readonly<Record<string, string>>, argv: readonly string[]): string {
  const assignments = Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`);
  return [...assignments, ...argv.map(shellQuote)].join(' ');
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
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
