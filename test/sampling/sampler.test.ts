import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentLogger } from '../../src/log/logger.js';
import { type SampleJob, Sampler, SampleTimeoutError } from '../../src/sampling/sampler.js';
import { sleep, waitFor } from '../helpers/wait.js';

describe('sampler', () => {
  it('runs every job each interval and becomes ready after the first round', async () => {
    const sampler = new Sampler({ intervalMs: 20, timeoutMs: 100, log: silentLogger });
    let runs = 0;
    sampler.add({ name: 'a', run: async () => void runs++ });
    assert.equal(sampler.ready, false);
    sampler.start();
    await sampler.whenReady();
    await waitFor('three runs', () => runs >= 3, 2000, 5);
    sampler.stop();
    const stoppedAt = runs;
    await sleep(60);
    assert.equal(runs, stoppedAt, 'no runs after stop');
  });

  it('fails a hung job on timeout and never stacks a second read on it', async () => {
    const sampler = new Sampler({ intervalMs: 10, timeoutMs: 30, log: silentLogger });
    let started = 0;
    let release: () => void = () => {};
    const failures: Error[] = [];
    const hung: SampleJob = {
      name: 'hung',
      run: () => {
        started++;
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
      failed: (error) => failures.push(error),
    };
    let ticks = 0;
    sampler.add(hung);
    sampler.add({ name: 'tick', run: async () => void ticks++ });
    sampler.start();
    await waitFor('timeout failure', () => failures.length === 1, 2000, 5);
    assert.ok(failures[0] instanceof SampleTimeoutError);
    assert.equal(sampler.ready, true, 'a timed-out job counts as settled for readiness');
    const ticksAtTimeout = ticks;
    await waitFor('ten more ticks', () => ticks >= ticksAtTimeout + 10, 2000, 5);
    assert.equal(started, 1, 'no second read while the first is in flight');
    assert.equal(sampler.queueDepth, 1);
    release();
    await waitFor('next read after release', () => started === 2, 2000, 5);
    sampler.stop();
    release();
  });

  it('runs a job with its own interval only every few ticks', async () => {
    const sampler = new Sampler({ intervalMs: 20, timeoutMs: 100, log: silentLogger });
    let fast = 0;
    let slow = 0;
    sampler.add({ name: 'fast', run: async () => void fast++ });
    sampler.add({ name: 'slow', intervalMs: 100, run: async () => void slow++ });
    sampler.start();
    await waitFor('20 fast runs', () => fast >= 20, 3000, 5);
    sampler.stop();
    assert.ok(slow >= 3 && slow <= 6, `slow ran ${slow} times in ${fast} ticks`);
  });

  it('reports rejections to the job', async () => {
    const sampler = new Sampler({ intervalMs: 1000, timeoutMs: 100, log: silentLogger });
    const failures: string[] = [];
    sampler.add({
      name: 'bad',
      run: async () => Promise.reject(new Error('boom')),
      failed: (e) => failures.push(e.message),
    });
    sampler.start();
    await sampler.whenReady();
    sampler.stop();
    assert.deepEqual(failures, ['boom']);
    assert.equal(sampler.queueDepth, 0);
  });
});
