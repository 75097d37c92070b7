import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  goMemLimit,
  minimumBudgetBytes,
  minimumBudgetWithVmagentBytes,
  planBudget,
  stackComponentNames,
} from '../../src/budget/plan.js';
import { EdgewatchError } from '../../src/errors.js';

const MiB = 1024 ** 2;

describe('planBudget', () => {
  it('turns the default 300 MiB into these allowances and flags', () => {
    const plan = planBudget(300 * MiB);
    assert.deepEqual(plan.allowances, { edgewatch: 64 * MiB, victoriametrics: 195 * MiB, vmalert: 26 * MiB });
    assert.equal(plan.headroomBytes, 15 * MiB);
    assert.deepEqual(plan.victoriaMetrics, {
      cacheBytes: 39 * MiB,
      goMemLimitBytes: 146 * MiB,
      maxConcurrentRequests: 4,
      maxUniqueTimeseries: 173_015,
      maxSamplesPerQuery: 17_301_504,
      maxHourlySeries: 39_936,
      maxDailySeries: 79_872,
    });
    assert.equal(plan.vmalertGoMemLimitBytes, 19 * MiB);
    assert.equal(goMemLimit(plan.victoriaMetrics.goMemLimitBytes), '146MiB');
  });

  it('never plans more than the budget', () => {
    for (const mib of [142, 143, 200, 300, 512, 1024, 4096]) {
      const plan = planBudget(mib * MiB);
      const total = Object.values(plan.allowances).reduce((a, b) => a + b, 0) + plan.headroomBytes;
      assert.equal(total, mib * MiB, `${mib} MiB`);
    }
  });

  it('gives VictoriaMetrics what a larger budget adds, and its Go limit stays above its caches', () => {
    const small = planBudget(minimumBudgetBytes);
    const large = planBudget(1024 * MiB);
    assert.equal(small.victoriaMetrics.cacheBytes, 16 * MiB);
    assert.equal(small.victoriaMetrics.maxConcurrentRequests, 1);
    assert.ok(small.allowances.victoriametrics >= 44 * MiB);
    assert.equal(large.allowances.edgewatch, small.allowances.edgewatch);
    assert.equal(large.victoriaMetrics.maxConcurrentRequests, 4);
    assert.ok(large.victoriaMetrics.maxUniqueTimeseries > small.victoriaMetrics.maxUniqueTimeseries);
    for (const plan of [small, large]) {
      assert.ok(plan.victoriaMetrics.goMemLimitBytes >= 2 * plan.victoriaMetrics.cacheBytes);
    }
  });

  it('refuses a budget below what the stack needs, saying the minimum', () => {
    assert.equal(minimumBudgetBytes, 142 * MiB);
    assert.doesNotThrow(() => planBudget(142 * MiB));
    assert.throws(
      () => planBudget(141 * MiB),
      (err: unknown) =>
        err instanceof EdgewatchError &&
        err.code === 'EW_CONFIG_INVALID' &&
        err.exitCode === 2 &&
        /--budget\.memory=141MiB is too small: the stack needs at least 142MiB/.test(err.message),
    );
  });

  it("with remote_write, gives vmagent 32 MiB out of VictoriaMetrics' share, within the budget", () => {
    const plan = planBudget(300 * MiB, true);
    assert.deepEqual(plan.allowances, {
      edgewatch: 64 * MiB,
      victoriametrics: 163 * MiB,
      vmalert: 26 * MiB,
      vmagent: 32 * MiB,
    });
    assert.equal(plan.vmagentGoMemLimitBytes, 24 * MiB);
    const total = Object.values(plan.allowances).reduce((a, b) => a + b, 0) + plan.headroomBytes;
    assert.equal(total, 300 * MiB);
    assert.equal(minimumBudgetWithVmagentBytes, 175 * MiB);
    assert.throws(() => planBudget(174 * MiB, true), /at least 175MiB \(.*vmagent 32MiB/);
    assert.deepEqual(stackComponentNames(false), ['edgewatch', 'victoriametrics', 'vmalert']);
    assert.deepEqual(stackComponentNames(true), ['edgewatch', 'victoriametrics', 'vmalert', 'vmagent']);
  });
});
