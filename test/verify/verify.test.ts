/**
 * Real `edgewatch verify` runs: the stack in a cgroup, load, the verdict, and nothing left
 * behind (cgroup, temporary storage, processes). Needs root, a writable cgroup hierarchy and
 * the `up` command; skipped with the reason otherwise.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { VerifyReport } from '../../src/verify/verify-report.js';
import { assertCleanedUp, cannotRun, verify } from '../helpers/verify-run.js';

test('a 5 s verify of the default stack on 500 MiB and 2 CPUs passes', async (t) => {
  const reason = await cannotRun();
  if (reason) return t.skip(reason);
  const run = await verify(['--duration', '5s']);
  const report = JSON.parse(run.stdout) as VerifyReport;
  assert.equal(run.code, 0, JSON.stringify(report.checks));
  assert.equal(report.pass, true);
  assert.equal(report.limits.memoryBytes, 500 * 1024 ** 2);
  assert.ok(report.memory.workingSetBytes > 10e6, 'the stack was measured in the cgroup');
  assert.ok(report.memory.rawPeakBytes >= report.memory.workingSetBytes);
  for (const component of ['edgewatch', 'victoriametrics', 'vmalert']) {
    assert.ok((report.memory.componentPssBytes[component] ?? 0) > 1e6, `${component} PSS sampled`);
  }
  assert.ok(report.load.scrapes.ok > 100, `scrape load ran: ${report.load.scrapes.ok}`);
  assert.ok(report.load.queries.ok >= 5, `queries ran: ${report.load.queries.ok}`);
  assert.deepEqual(report.scrapeHealth.minUpByJob, { edgewatch: 1, victoriametrics: 1, vmalert: 1 });
  assertCleanedUp(run);
});

test('a box too small for the stack fails with OOM kills, and is cleaned up all the same', async (t) => {
  const reason = await cannotRun();
  if (reason) return t.skip(reason);
  // 28M: since the stored series were slimmed, the idle stack peaks at ~33 MB and 32M no longer
  // reliably OOM-kills it.
  const run = await verify(['--memory', '28M', '--duration', '3s']);
  const report = JSON.parse(run.stdout) as VerifyReport;
  assert.equal(run.code, 1);
  assert.equal(report.pass, false);
  assert.ok(report.memory.oomKills > 0, 'OOM kills were counted');
  assert.equal(report.checks.find((c) => c.name === 'oom_kills')?.pass, false);
  assertCleanedUp(run);
});
