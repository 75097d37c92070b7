import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatReport, judge, type VerifyMeasurements } from '../../src/verify/verify-report.js';
import { componentOf } from '../../src/verify/verify-sampler.js';

const MiB = 1024 ** 2;

function measurements(): VerifyMeasurements {
  return {
    limits: { memoryBytes: 500 * MiB, cpus: 2, durationSeconds: 60, budgetBytes: 300 * MiB },
    cgroupVersion: 2,
    memory: {
      workingSetBytes: 142_300_000,
      rawPeakBytes: 201_000_000,
      rawPeakSource: 'kernel',
      componentPssBytes: { edgewatch: 54_100_000, victoriametrics: 35_200_000, vmalert: 15_300_000 },
      pssSumBytes: 104_600_000,
      oomKills: 0,
      samples: 240,
    },
    load: {
      seconds: 60,
      connections: 4,
      scrapes: { ok: 30_000, failed: 0, errors: [], perSecond: 500 },
      queries: { ok: 300, failed: 0, errors: [], perSecond: 5 },
    },
    scrapeHealth: {
      minUpByJob: { edgewatch: 1, victoriametrics: 1, vmalert: 1 },
      missingJobs: [],
      samplesScrapedSeries: 3,
    },
  };
}

test('passes when the docker-stats peak is within the budget and nothing failed', () => {
  const report = judge(measurements());
  assert.equal(report.pass, true);
  assert.deepEqual(
    report.checks.map((c) => [c.name, c.pass]),
    [
      ['memory', true],
      ['oom_kills', true],
      ['requests', true],
      ['scrapes', true],
    ],
  );
});

test('each criterion fails the run on its own', () => {
  const failing: Array<[string, (m: VerifyMeasurements) => void]> = [
    ['memory', (m) => (m.memory.workingSetBytes = 300 * MiB + 1)],
    ['oom_kills', (m) => (m.memory.oomKills = 1)],
    ['requests', (m) => (m.load.scrapes.failed = 1)],
    ['requests', (m) => (m.load.queries.failed = 1)],
    ['scrapes', (m) => (m.scrapeHealth.minUpByJob.vmalert = 0)],
    ['scrapes', (m) => (m.scrapeHealth.missingJobs = ['vmalert'])],
    ['scrapes', (m) => (m.scrapeHealth.samplesScrapedSeries = 0)],
    ['scrapes', (m) => (m.scrapeHealth.error = 'connect ECONNREFUSED')],
  ];
  for (const [name, spoil] of failing) {
    const m = measurements();
    spoil(m);
    const report = judge(m);
    assert.equal(report.pass, false, name);
    assert.deepEqual(
      report.checks.filter((c) => !c.pass).map((c) => c.name),
      [name],
    );
  }
  // Exactly at the budget still fits.
  const m = measurements();
  m.memory.workingSetBytes = 300 * MiB;
  assert.equal(judge(m).pass, true);
});

test('the table gives every figure with its unit and a verdict', () => {
  const m = measurements();
  m.memory.oomKills = 2;
  const text = formatReport(judge(m));
  assert.match(text, /MB = 10\^6 bytes/);
  assert.match(text, /500MiB memory limit and 2 CPUs \(cgroup v2\)/);
  assert.match(text, /usage − inactive file \(docker stats\)\s+142\.3 MB of budget 314\.6 MB\s+PASS/);
  assert.match(text, /raw with page cache \(kernel\)\s+201\.0 MB/);
  assert.match(text, /PSS peak, victoriametrics\s+35\.2 MB/);
  assert.match(text, /OOM kills\s+2\s+FAIL/);
  assert.match(text, /30000 ok, 0 failed, 500\.0\/s/);
  assert.match(text, /edgewatch=1 victoriametrics=1 vmalert=1\s+PASS/);
  assert.match(text, /^FAIL oom_kills: 2 OOM kills$/m);
  assert.match(text, /^Result: FAIL$/m);
});

test('processes are attributed to components by argv[0]', () => {
  assert.equal(componentOf('node'), 'edgewatch');
  assert.equal(componentOf('/usr/bin/node'), 'edgewatch');
  assert.equal(componentOf('/usr/bin/victoria-metrics'), 'victoriametrics');
  assert.equal(componentOf('victoria-metrics-prod'), 'victoriametrics');
  assert.equal(componentOf('/usr/bin/vmalert'), 'vmalert');
  assert.equal(componentOf('/bin/sh'), 'sh');
});
