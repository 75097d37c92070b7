import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { planBudget } from '../../src/budget/plan.js';
import { SampleTimeoutError } from '../../src/sampling/sampler.js';
import { ComponentMemoryCollector } from '../../src/stack/component-memory.js';
import type { ComponentStatus } from '../../src/stack/component-types.js';

const MiB = 1024 ** 2;

function status(name: string, pid: number | undefined, restarts = 0): ComponentStatus {
  return {
    name,
    pid,
    health: pid === undefined ? 'unhealthy' : 'healthy',
    uptimeSeconds: 1,
    restarts,
    crashLooping: false,
    lastExit: undefined,
  };
}

describe('ComponentMemoryCollector', () => {
  it('exports memory, budgets, up and restarts per component, sampled rather than read at scrape', async () => {
    let components = [status('edgewatch', process.pid), status('victoriametrics', undefined, 2)];
    const collector = new ComponentMemoryCollector(planBudget(300 * MiB), () => components);
    assert.equal(
      collector.collect('', 'prometheus'),
      '# HELP edgewatch_memory_budget_bytes budget.memory: what the PSS of all components together may be.\n# TYPE edgewatch_memory_budget_bytes gauge\nedgewatch_memory_budget_bytes 314572800\n',
    );

    await collector.sample();
    const text = collector.collect('', 'prometheus');
    for (const kind of ['rss', 'pss', 'anon']) {
      assert.match(
        text,
        new RegExp(
          `^edgewatch_component_memory_bytes\\{component="edgewatch",kind="${kind}"\\} [1-9]\\d+$`,
          'm',
        ),
      );
    }
    assert.doesNotMatch(text, /component_memory_bytes\{component="victoriametrics"/);
    assert.match(text, /^edgewatch_component_memory_budget_bytes\{component="edgewatch"\} 67108864$/m);
    assert.match(text, /^edgewatch_component_memory_budget_bytes\{component="victoriametrics"\} 204472320$/m);
    assert.match(text, /^edgewatch_component_up\{component="edgewatch"\} 1$/m);
    assert.match(text, /^edgewatch_component_up\{component="victoriametrics"\} 0$/m);
    assert.match(text, /^# TYPE edgewatch_component_restarts_total counter$/m);
    assert.match(text, /^edgewatch_component_restarts_total\{component="victoriametrics"\} 2$/m);
    assert.ok((collector.memoryOf('edgewatch')?.pss ?? 0) > 0);

    // A process that is gone loses its memory series instead of keeping its last value.
    components = [status('edgewatch', 2 ** 22 + 1)];
    await collector.sample();
    assert.doesNotMatch(collector.collect('', 'prometheus'), /component_memory_bytes\{component="edgewatch"/);
    assert.equal(collector.memoryOf('edgewatch'), undefined);
  });

  it('drops the memory of a component whose smaps_rollup cannot be read, and all of it on a timeout', async () => {
    const proc = mkdtempSync(join(tmpdir(), 'ew-proc-'));
    try {
      const rollup = readFileSync(`/proc/${process.pid}/smaps_rollup`, 'utf8');
      mkdirSync(join(proc, '100'));
      writeFileSync(join(proc, '100', 'smaps_rollup'), rollup);
      // A directory where the file should be: the read fails with EISDIR, not "process gone".
      mkdirSync(join(proc, '200', 'smaps_rollup'), { recursive: true });
      let components = [status('edgewatch', 100), status('victoriametrics', 200)];
      const collector = new ComponentMemoryCollector(planBudget(300 * MiB), () => components, proc);
      components = [status('edgewatch', 100), status('victoriametrics', 100)];
      await collector.sample();
      assert.match(
        collector.collect('', 'prometheus'),
        /component_memory_bytes\{component="victoriametrics"/,
      );

      components = [status('edgewatch', 100), status('victoriametrics', 200)];
      await assert.rejects(collector.sample(), /smaps_rollup: 1 reads failed/);
      const text = collector.collect('', 'prometheus');
      assert.doesNotMatch(text, /component_memory_bytes\{component="victoriametrics"/, 'no stale value');
      assert.match(text, /component_memory_bytes\{component="edgewatch",kind="pss"\} [1-9]/);

      collector.job().failed?.(new SampleTimeoutError('component-memory', 2000), Date.now());
      assert.doesNotMatch(collector.collect('', 'prometheus'), /edgewatch_component_memory_bytes\{/);
      assert.equal(collector.memoryOf('edgewatch'), undefined);
    } finally {
      rmSync(proc, { recursive: true, force: true });
    }
  });
});
