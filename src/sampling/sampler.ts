/**
 * Runs sampling jobs on a fixed interval, decoupled from serving: scrapes read what the last
 * round cached and never wait for hardware.
 *
 * A job is never started again while its previous run is still in flight, so a sensor whose read
 * hangs (a stuck I²C bus blocks a libuv thread inside open() or read()) ties up one thread at the
 * most, and reads never stack up. A run that outlives its timeout is reported to the job as a
 * failure at once; when it finally settles, its result is discarded.
 */
import type { Logger } from '../log/logger.js';

export interface SampleJob {
  readonly name: string;
  /** Run at most this often; rounded up to whole sampler ticks. Default: every tick. */
  readonly intervalMs?: number;
  /** Does the sampling; resolves when fresh values are stored. Must check `signal.aborted` before storing. */
  run(signal: AbortSignal): Promise<void>;
  /** Called when `run` rejected or timed out. */
  failed?(error: Error, now: number): void;
  /** Called on every tick, even when the job is still in flight: the place to age out stale values. */
  tick?(now: number): void;
}

export class SampleTimeoutError extends Error {
  constructor(job: string, timeoutMs: number) {
    super(`${job}: read did not finish within ${timeoutMs} ms`);
    this.name = 'SampleTimeoutError';
  }
}

export interface SamplerOptions {
  intervalMs: number;
  timeoutMs: number;
  log: Logger;
  /** Clock for tests. Default: Date.now. */
  now?: () => number;
}

interface JobState {
  job: SampleJob;
  inFlight: boolean;
  /** Earliest time of the next run. */
  dueAt: number;
  /** Completed (or failed) at least once. */
  settledOnce: boolean;
}

export class Sampler {
  readonly #jobs: JobState[] = [];
  readonly #options: SamplerOptions;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #nextTickAt = 0;
  #lagMs = 0;
  #readyWaiters: Array<() => void> = [];
  #stopped = false;
  #generation = 0;

  constructor(options: SamplerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  add(job: SampleJob): void {
    this.#jobs.push({ job, inFlight: false, dueAt: 0, settledOnce: false });
    this.#generation++;
  }

  /**
   * Stops running the jobs named `name` (a sensor that vanished). A run in flight finishes
   * unobserved; what it stores belongs to nothing served any more.
   */
  remove(name: string): void {
    for (let i = this.#jobs.length - 1; i >= 0; i--) {
      if (this.#jobs[i]?.job.name === name) this.#jobs.splice(i, 1);
    }
    this.#generation++;
  }

  /** Runs the first round now, then one every interval. */
  start(): void {
    this.#nextTickAt = this.#now();
    this.#tick();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Reads queued or in flight right now (`sensor_queue_depth`). */
  get queueDepth(): number {
    let n = 0;
    for (const s of this.#jobs) if (s.inFlight) n++;
    return n;
  }

  /**
   * How late the last tick fired, in ms: a measure of event-loop lag taken for free from a timer
   * that exists anyway (a dedicated high-resolution monitor costs ~6 ms of CPU per second).
   */
  get lagMs(): number {
    return this.#lagMs;
  }

  /** Changes whenever a run finishes, fails or times out: cached renderings of sampled values key on it. */
  get generation(): number {
    return this.#generation;
  }

  /** Every job has completed or failed at least once. */
  get ready(): boolean {
    return this.#jobs.every((s) => s.settledOnce);
  }

  whenReady(): Promise<void> {
    if (this.ready) return Promise.resolve();
    return new Promise((resolve) => this.#readyWaiters.push(resolve));
  }

  #tick = (): void => {
    if (this.#stopped) return;
    const now = this.#now();
    this.#lagMs = Math.max(0, now - this.#nextTickAt);
    for (const state of this.#jobs) {
      state.job.tick?.(now);
      if (state.inFlight || now < state.dueAt) continue;
      // Half a tick of slack, so timer jitter never pushes a run to the tick after.
      state.dueAt = now + (state.job.intervalMs ?? 0) - this.#options.intervalMs / 2;
      this.#runJob(state);
    }
    this.#nextTickAt += this.#options.intervalMs;
    // Catch up without bursts when the process was stopped (SIGSTOP, suspended VM).
    if (this.#nextTickAt < now) this.#nextTickAt = now + this.#options.intervalMs;
    this.#timer = setTimeout(this.#tick, this.#nextTickAt - now);
    this.#timer.unref();
  };

  #runJob(state: JobState): void {
    const { job } = state;
    const { timeoutMs, log } = this.#options;
    const controller = new AbortController();
    state.inFlight = true;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.#generation++;
      controller.abort();
      this.#settle(state);
      job.failed?.(new SampleTimeoutError(job.name, timeoutMs), this.#now());
    }, timeoutMs);
    timer.unref();

    job.run(controller.signal).then(
      () => {
        clearTimeout(timer);
        state.inFlight = false;
        if (timedOut) return;
        this.#generation++;
        this.#settle(state);
      },
      (err: unknown) => {
        clearTimeout(timer);
        state.inFlight = false;
        if (timedOut) return;
        this.#generation++;
        this.#settle(state);
        const error = err instanceof Error ? err : new Error(String(err));
        if (job.failed) job.failed(error, this.#now());
        else log.warn('sample failed', { job: job.name, error });
      },
    );
  }

  #settle(state: JobState): void {
    if (state.settledOnce) return;
    state.settledOnce = true;
    if (this.ready) {
      for (const resolve of this.#readyWaiters) resolve();
      this.#readyWaiters = [];
    }
  }
}
