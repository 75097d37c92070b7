/**
 * Runs alerting.action-command on each state change: a buzzer, a relay, a modem SMS script.
 *
 * The command goes to `/bin/sh -c`, so users can write pipelines and redirections. It is
 * started with `spawn` in its own process group rather than with `execFile`, because
 * execFile's timeout signals only the shell: a pipeline's other members, or a `sleep` inside a
 * script, would outlive the deadline. Here the whole group is signalled.
 *
 * A box with two cores must not fork a shell per alert when a hundred alerts fire at once:
 * at most `concurrency` commands run, `queueSize` wait, and the rest are dropped and counted.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type { Logger } from '../log/logger.js';
import { alertChangeJson } from './alert-json.js';
import type { AlertChange } from './alert-store.js';

export type ActionResult = 'ok' | 'failed' | 'timeout';

export const ACTION_CONCURRENCY = 2;
export const ACTION_QUEUE_SIZE = 32;
/** Stderr kept for the log line, bytes: enough for an error message, not for a flood. */
const STDERR_TAIL_BYTES = 1024;
/** Time between SIGTERM and SIGKILL when a command overruns its timeout. */
const KILL_GRACE_MS = 1000;

export interface ActionRunnerOptions {
  /** Passed to /bin/sh -c. */
  command: string;
  timeoutMs: number;
  log: Logger;
  onResult?: (result: ActionResult) => void;
  onDrop?: () => void;
  concurrency?: number;
  queueSize?: number;
}

/** The environment a command sees for one change, on top of edgewatch's own. */
export function actionEnv(change: AlertChange): Record<string, string> {
  return {
    EDGEWATCH_ALERT_NAME: change.name,
    EDGEWATCH_ALERT_STATE: change.state,
    EDGEWATCH_ALERT_SEVERITY: change.severity,
    EDGEWATCH_ALERT_SUMMARY: change.annotations.summary ?? '',
    EDGEWATCH_ALERT_LABELS: JSON.stringify(change.labels),
    EDGEWATCH_ALERT_JSON: JSON.stringify({
      ...alertChangeJson(change),
      startsAt: new Date(change.startsAt).toISOString(),
    }),
  };
}

export class ActionRunner {
  readonly #queue: AlertChange[] = [];
  readonly #running = new Set<ChildProcess>();
  readonly #finished = new Set<Promise<void>>();
  readonly #concurrency: number;
  readonly #queueSize: number;
  #stopped = false;

  constructor(private readonly options: ActionRunnerOptions) {
    this.#concurrency = options.concurrency ?? ACTION_CONCURRENCY;
    this.#queueSize = options.queueSize ?? ACTION_QUEUE_SIZE;
  }

  /** Runs the command for this change now or later; false when it was dropped. */
  enqueue(change: AlertChange): boolean {
    if (this.#stopped) return false;
    if (this.#running.size < this.#concurrency) {
      this.#start(change);
      return true;
    }
    if (this.#queue.length >= this.#queueSize) {
      this.options.onDrop?.();
      this.options.log.warn('alert action dropped: queue full', {
        alert: change.name,
        state: change.state,
        queued: this.#queue.length,
      });
      return false;
    }
    this.#queue.push(change);
    return true;
  }

  /** Resolves when nothing runs or waits. */
  async idle(): Promise<void> {
    while (this.#finished.size > 0) await Promise.all(this.#finished);
  }

  /** Drops the queue and kills what runs; resolves when every command has exited. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#queue.length = 0;
    for (const child of this.#running) killGroup(child, 'SIGKILL');
    await this.idle();
  }

  #start(change: AlertChange): void {
    const { command, timeoutMs, log } = this.options;
    const began = performance.now();
    const child = spawn('/bin/sh', ['-c', command], {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...actionEnv(change) },
    });
    this.#running.add(child);

    let stderr = Buffer.alloc(0);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = Buffer.concat([stderr, chunk]).subarray(-STDERR_TAIL_BYTES);
    });

    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let settle: (code: number | null, signal: NodeJS.Signals | null, error?: Error) => void = () => {};
    const finished = new Promise<void>((resolve) => {
      let settled = false;
      settle = (code, signal, error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearTimeout(killTimer);
        child.stderr?.destroy();
        this.#running.delete(child);
        const result: ActionResult = timedOut ? 'timeout' : code === 0 && !error ? 'ok' : 'failed';
        this.options.onResult?.(result);
        const fields = {
          alert: change.name,
          state: change.state,
          result,
          exitCode: code,
          signal,
          ms: Math.round(performance.now() - began),
          stderr: stderr.toString('utf8').trim(),
          ...(error ? { error } : {}),
        };
        if (result === 'ok') log.info('alert action finished', fields);
        else log.warn('alert action failed', fields);
        resolve();
        const next = this.#queue.shift();
        if (next && !this.#stopped) this.#start(next);
      };
    });
    child.once('exit', (code, signal) => {
      exit = { code, signal };
    });
    // After exit, stderr may still hold unread output: 'close' waits for it.
    child.once('close', (code, signal) => settle(code, signal));
    child.once('error', (err) => settle(null, null, err));
    timer = setTimeout(() => {
      // The shell is done and only something it started in the background (`siren &`) keeps
      // stderr open: the command finished, and the background process is left alone.
      if (exit) {
        settle(exit.code, exit.signal);
        return;
      }
      timedOut = true;
      killGroup(child, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(child, 'SIGKILL'), KILL_GRACE_MS);
    }, timeoutMs);
    this.#finished.add(finished);
    void finished.then(() => this.#finished.delete(finished));
  }
}

/** Signals the command's whole process group (it leads one: spawned with detached). */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}
