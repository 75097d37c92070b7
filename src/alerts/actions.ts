/**
 * Runs alerting.action-command on each state change: a buzzer, a relay, a modem SMS script.
 *
 * The command goes to `/bin/sh -c`, so users can write pipelines and redirections. It is
 * started in its own process group (process/child-runner.ts) rather than with `execFile`, because
 * execFile's timeout signals only the shell: a pipeline's other members, or a `sleep` inside a
 * script, would outlive the deadline. Here the whole group is signalled.
 *
 * A box with two cores must not fork a shell per alert when a hundred alerts fire at once:
 * at most `concurrency` commands run, `queueSize` wait, and the rest are dropped and counted.
 */
import type { Logger } from '../log/logger.js';
import {
  type ExitInfo,
  type RunningChild,
  signalChild,
  spawnChild,
  stopChild,
} from '../process/child-runner.js';
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
  readonly #running = new Set<RunningChild>();
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
    for (const run of this.#running) signalChild(run, 'SIGKILL', true);
    await this.idle();
  }

  #start(change: AlertChange): void {
    const { command, timeoutMs, log } = this.options;
    const began = performance.now();
    const run = spawnChild('/bin/sh', ['-c', command], {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...actionEnv(change) },
    });
    this.#running.add(run);
    let stderr = Buffer.alloc(0);
    run.child.stderr?.on('data', (chunk: Buffer) => {
      stderr = Buffer.concat([stderr, chunk]).subarray(-STDERR_TAIL_BYTES);
    });
    const finished = outcomeWithin(run, timeoutMs).then(({ exit, timedOut }) => {
      run.child.stderr?.destroy();
      this.#running.delete(run);
      const result: ActionResult = timedOut ? 'timeout' : exit.code === 0 && !exit.error ? 'ok' : 'failed';
      this.options.onResult?.(result);
      const fields = {
        alert: change.name,
        state: change.state,
        result,
        exitCode: exit.code,
        signal: exit.signal,
        ms: Math.round(performance.now() - began),
        stderr: stderr.toString('utf8').trim(),
        ...(exit.error ? { error: exit.error } : {}),
      };
      if (result === 'ok') log.info('alert action finished', fields);
      else log.warn('alert action failed', fields);
      const next = this.#queue.shift();
      if (next && !this.#stopped) this.#start(next);
    });
    this.#finished.add(finished);
    void finished.then(() => this.#finished.delete(finished));
  }
}

/**
 * How the command ended, waiting at most `timeoutMs`; past it, its whole process group gets
 * SIGTERM, then SIGKILL after KILL_GRACE_MS.
 */
async function outcomeWithin(
  run: RunningChild,
  timeoutMs: number,
): Promise<{ exit: ExitInfo; timedOut: boolean }> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const first = await Promise.race([run.exited, deadline]);
  clearTimeout(timer);
  if (first !== 'timeout') return { exit: first, timedOut: false };
  // The shell is done and only something it started in the background (`siren &`) keeps
  // stderr open: the command finished, and the background process is left alone.
  if (run.processExit) return { exit: run.processExit, timedOut: false };
  await stopChild(run, KILL_GRACE_MS, { group: true });
  return { exit: await run.exited, timedOut: true };
}
