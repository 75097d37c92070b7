/**
 * When to restart a crashed component and when its crashes count as a crash loop. Pure: the
 * timings are parameters and the clock is the `now` passed in, so tests need no processes.
 */

export interface RestartTimings {
  /** First restart delay; doubles per crash in a row. */
  readonly backoffInitialMs: number;
  /** Longest restart delay. */
  readonly backoffMaxMs: number;
  /** A component healthy this long before it crashes starts the backoff over. */
  readonly backoffResetMs: number;
  /** This many restarts within crashLoopWindowMs is a crash loop. */
  readonly crashLoopRestarts: number;
  readonly crashLoopWindowMs: number;
}

/** 0.5 s doubling to 30 s; 5 restarts in 2 minutes is a crash loop. */
export const DEFAULT_RESTART_TIMINGS: RestartTimings = {
  backoffInitialMs: 500,
  backoffMaxMs: 30_000,
  backoffResetMs: 60_000,
  crashLoopRestarts: 5,
  crashLoopWindowMs: 120_000,
};

export class RestartPolicy {
  /** Crashes in a row, for the backoff. */
  #failures = 0;
  #restartTimes: number[] = [];

  constructor(readonly timings: RestartTimings = DEFAULT_RESTART_TIMINGS) {}

  /**
   * A crash at `now`; `healthySince` is when the process last became healthy (undefined if it
   * never did). Returns the delay before the restart.
   */
  onCrash(now: number, healthySince: number | undefined): number {
    const t = this.timings;
    if (healthySince !== undefined && now - healthySince >= t.backoffResetMs) this.#failures = 0;
    const backoffMs = Math.min(t.backoffMaxMs, t.backoffInitialMs * 2 ** this.#failures);
    this.#failures++;
    return backoffMs;
  }

  /** A restart at `now`. */
  onRestart(now: number): void {
    this.#restartTimes = [...this.#restartTimes.filter((t) => now - t < this.timings.crashLoopWindowMs), now];
  }

  /** Restarts within the window ending at `now`. */
  recentRestarts(now: number): number {
    return this.#restartTimes.filter((t) => now - t < this.timings.crashLoopWindowMs).length;
  }

  crashLooping(now: number): boolean {
    return this.recentRestarts(now) >= this.timings.crashLoopRestarts;
  }
}
