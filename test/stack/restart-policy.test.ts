/** The restart policy alone: backoff and crash-loop detection on a clock passed in. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RESTART_TIMINGS, RestartPolicy } from '../../src/stack/restart-policy.js';

const timings = {
  backoffInitialMs: 10,
  backoffMaxMs: 50,
  backoffResetMs: 1000,
  crashLoopRestarts: 3,
  crashLoopWindowMs: 500,
};

describe('restart policy', () => {
  it('doubles the backoff per crash in a row, up to the cap', () => {
    const policy = new RestartPolicy(timings);
    const delays = [0, 1, 2, 3, 4].map((i) => policy.onCrash(i, undefined));
    assert.deepEqual(delays, [10, 20, 40, 50, 50]);
  });

  it('starts the backoff over after a long enough healthy run', () => {
    const policy = new RestartPolicy(timings);
    policy.onCrash(0, undefined);
    policy.onCrash(1, undefined);
    assert.equal(policy.onCrash(2000, 1500), 40, 'healthy 500 ms: no reset');
    assert.equal(policy.onCrash(3000, 2000), 10, 'healthy 1000 ms: reset');
  });

  it('reports a crash loop only while enough restarts fall in the window', () => {
    const policy = new RestartPolicy(timings);
    policy.onRestart(0);
    policy.onRestart(100);
    assert.equal(policy.crashLooping(100), false);
    policy.onRestart(200);
    assert.equal(policy.crashLooping(200), true);
    assert.equal(policy.recentRestarts(200), 3);
    assert.equal(policy.crashLooping(500), false, 'the restart at 0 left the window');
  });

  it('defaults to 0.5 s doubling to 30 s and 5 restarts in 2 minutes', () => {
    const policy = new RestartPolicy();
    assert.equal(policy.onCrash(0, undefined), 500);
    assert.equal(DEFAULT_RESTART_TIMINGS.backoffMaxMs, 30_000);
    assert.equal(DEFAULT_RESTART_TIMINGS.crashLoopRestarts, 5);
    assert.equal(DEFAULT_RESTART_TIMINGS.crashLoopWindowMs, 120_000);
  });
});
