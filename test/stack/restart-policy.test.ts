/** The restart policy alone: backoff and crash-loop detection on a clock passed in. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RESTART_TIMINGS, RestartPolicy } from '../../src/stack/restart-policy.js';

const timings = { backoffInitialMs: 10, backoffMaxMs: 50, backoffResetMs: 1000, crashLoopRestarts: 3 };

describe('restart policy', () => {
  it('doubles the backoff per failure in a row, up to the cap', () => {
    const policy = new RestartPolicy(timings);
    const delays = [0, 1, 2, 3, 4].map((i) => policy.onFailure(i, undefined));
    assert.deepEqual(delays, [10, 20, 40, 50, 50]);
  });

  it('starts the backoff over after a long enough healthy run', () => {
    const policy = new RestartPolicy(timings);
    policy.onFailure(0, undefined);
    policy.onFailure(1, undefined);
    assert.equal(policy.onFailure(2000, 1500), 40, 'healthy 500 ms: no reset');
    assert.equal(policy.onFailure(3000, 2000), 10, 'healthy 1000 ms: reset');
  });

  it('reports a crash loop after enough failures in a row, however slow the backoff makes them', () => {
    const policy = new RestartPolicy(timings);
    policy.onFailure(0, undefined);
    policy.onFailure(100, undefined);
    assert.equal(policy.crashLooping(100, undefined), false);
    policy.onFailure(200, undefined);
    assert.equal(policy.crashLooping(200, undefined), true);
    // Hours of failures at the capped backoff: still a crash loop (the old window-based flag
    // cleared itself here).
    for (let hour = 1; hour <= 3; hour++) policy.onFailure(hour * 3_600_000, undefined);
    assert.equal(policy.crashLooping(3 * 3_600_000 + 10, undefined), true);
  });

  it('clears the crash loop once a run has stayed healthy for backoffResetMs', () => {
    const policy = new RestartPolicy(timings);
    for (const t of [0, 1, 2]) policy.onFailure(t, undefined);
    assert.equal(policy.crashLooping(500, 400), true, 'healthy 100 ms is not recovered');
    assert.equal(policy.crashLooping(1400, 400), false, 'healthy 1000 ms is');
    assert.equal(policy.onFailure(1500, 400), 10, 'and the next failure starts the backoff over');
    assert.equal(policy.crashLooping(1500, undefined), false);
  });

  it('defaults to 0.5 s doubling to 30 s, 5 failures in a row, 60 s healthy to reset', () => {
    const policy = new RestartPolicy();
    assert.equal(policy.onFailure(0, undefined), 500);
    assert.deepEqual(DEFAULT_RESTART_TIMINGS, {
      backoffInitialMs: 500,
      backoffMaxMs: 30_000,
      backoffResetMs: 60_000,
      crashLoopRestarts: 5,
    });
  });
});
