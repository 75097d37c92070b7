/**
 * When to restart a failed component and when its failures count as a crash loop. Pure: the
 * timings are parameters and the clock is the `now` passed in, so tests need no processes.
 *
 * A failure is a crash after running, or a start that never became healthy. A crash loop is
 * `crashLoopRestarts` failures in a row with no run healthy for `backoffResetMs` between them.
 * It used to be "5 restarts within 120 s": with the backoff capped at 30 s, a component that
 * failed forever fell below that rate after ~3 minutes and was reported as recovered.
 */

export interface RestartTimings {
  /** First restart delay; doubles per failure in a row. */
  readonly backoffInitialMs: number;
  /** Longest restart delay. */
  readonly backoffMaxMs: number;
  /** A run healthy this long ends the failures in a row (backoff and crash loop start over). */
  readonly backoffResetMs: number;
  /** This many failures in a row is a crash loop. */
  readonly crashLoopRestarts: number;
}

/** 0.5 s doubling to 30 s; 5 failures in a row (within ~16 s) is a crash loop; 60 s healthy resets both. */
export const DEFAULT_RESTART_TIMINGS: RestartTimings = {
  backoffInitialMs: 500,
  backoffMaxMs: 30_000,
  backoffResetMs: 60_000,
  crashLoopRestarts: 5,
};

export class RestartPolicy {
  #failuresInARow = 0;

  constructor(readonly timings: RestartTimings = DEFAULT_RESTART_TIMINGS) {}

  /**
   * A failure at `now`; `healthySince` is when the failed run became healthy (undefined if it
   * never did). Returns the delay before the restart.
   */
  onFailure(now: number, healthySince: number | undefined): number {
    const t = this.timings;
    if (this.#stayedHealthy(now, healthySince)) this.#failuresInARow = 0;
    const backoffMs = Math.min(t.backoffMaxMs, t.backoffInitialMs * 2 ** this.#failuresInARow);
    this.#failuresInARow++;
    return backoffMs;
  }

  get failuresInARow(): number {
    return this.#failuresInARow;
  }

  /** `healthySince`: when the current run became healthy, undefined while it is not. */
  crashLooping(now: number, healthySince: number | undefined): boolean {
    return this.#failuresInARow >= this.timings.crashLoopRestarts && !this.#stayedHealthy(now, healthySince);
  }

  #stayedHealthy(now: number, healthySince: number | undefined): boolean {
    return healthySince !== undefined && now - healthySince >= this.timings.backoffResetMs;
  }
}
