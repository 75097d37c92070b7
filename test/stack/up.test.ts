/**
 * One real stack, checked from start to SIGTERM: start-up time, /api/stack, data flowing into
 * VictoriaMetrics, status and budget, a restart after a crash, and a clean stop. The tests run in
 * order and share the stack.
 */
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runEdgewatch } from '../helpers/edgewatch.js';
import { httpGet } from '../helpers/net.js';
import { processGone, queryUntilPresent, type StackUnderTest, startStack } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait.js';

/** Raw sample timestamps (ms) of every series matching `selector`, from /api/v1/export. */
async function exportTimestamps(vmUrl: string, selector: string): Promise<number[]> {
  const res = await httpGet(`${vmUrl}/api/v1/export?match[]=${encodeURIComponent(selector)}`);
  assert.equal(res.status, 200, res.body);
  return res.body
    .split('\n')
    .filter((line) => line !== '')
    .flatMap((line) => (JSON.parse(line) as { timestamps: number[] }).timestamps);
}

/**
 * The newest sample time (ms) in VictoriaMetrics' parts on disk, from the part directory names:
 * rows_blocks_minTime_maxTime_id, times as UTC YYYYMMDDhhmmss.mmm.
 */
async function newestSampleOnDisk(storagePath: string): Promise<number | undefined> {
  let newest: number | undefined;
  for (const size of ['small', 'big']) {
    const root = join(storagePath, 'victoria-metrics', 'data', size);
    const months = await readdir(root).catch(() => []);
    for (const month of months) {
      for (const part of await readdir(join(root, month)).catch(() => [])) {
        const m = /^\d+_\d+_\d{14}\.\d{3}_(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)\.(\d{3})_[0-9A-F]+$/.exec(
          part,
        );
        if (!m) continue;
        const [, y, mo, d, h, mi, sec, ms] = m.map(Number) as number[];
        const t = Date.UTC(y as number, (mo as number) - 1, d, h, mi, sec, ms);
        newest = Math.max(newest ?? t, t);
      }
    }
  }
  return newest;
}

describe('edgewatch up', { timeout: 120_000 }, () => {
  let s: StackUnderTest;

  before(async () => {
    s = await startStack();
  });

  after(async () => {
    await s?.cleanup();
  });

  it('has every component healthy after the spawn, with one log line each', () => {
    const healthy = s.proc.lines.find((l) => l.msg === 'stack healthy');
    assert.ok(healthy);
    // How fast the stack gets healthy is a figure for bench/, not an assertion here.
    for (const component of ['victoriametrics', 'vmalert']) {
      const lines = s.proc.lines.filter((l) => l.msg === 'component healthy' && l.component === component);
      assert.equal(lines.length, 1, `one "component healthy" line for ${component}`);
      assert.equal(typeof lines[0]?.ms, 'number');
    }
  });

  it('reports edgewatch first, then every component healthy with its memory, in /api/stack', async () => {
    const report = await waitFor(
      'memory samples of every component',
      async () => {
        const r = await s.stack();
        return r.components.every((c) => c.memory.pss_bytes > 0) ? r : undefined;
      },
      10_000,
    );
    assert.equal(report.budget_bytes, 300 * 1024 ** 2);
    assert.deepEqual(
      report.components.map((c) => c.name),
      ['edgewatch', 'victoriametrics', 'vmalert'],
    );
    assert.equal(report.components[0]?.pid, s.proc.pid);
    for (const c of report.components) {
      assert.equal(c.health, 'healthy', c.name);
      assert.equal(c.restarts, 0);
      assert.ok(c.memory.rss_bytes >= c.memory.anon_bytes && c.memory.anon_bytes > 0, c.name);
      assert.ok(c.budget_bytes !== null && c.budget_bytes > 0);
    }
  });

  it("makes edgewatch's sensor series queryable in VictoriaMetrics, new samples within seconds", async () => {
    // A new series becomes searchable when VictoriaMetrics 1.79 refreshes its index of the current
    // hour, every 10 s: only the first samples of a fresh database wait that long.
    const result = await queryUntilPresent(s.vmUrl, 'sensor_temperature_celsius{job="edgewatch"}', 20_000);
    assert.equal(result.length, 1);
    // From then on a sample is queryable ~2 s after its scrape (-search.latencyOffset=2s; with the
    // default 30 s this fails).
    const since = Date.now() / 1000;
    await queryUntilPresent(
      s.vmUrl,
      `timestamp(sensor_temperature_celsius{job="edgewatch"}) > ${since}`,
      5000,
    );
    await queryUntilPresent(
      s.vmUrl,
      'edgewatch_component_memory_bytes{component="victoriametrics",kind="pss"}',
      10_000,
    );
    await queryUntilPresent(s.vmUrl, 'up{job="vmalert"} == 1', 10_000);
  });

  it('prints the components with `edgewatch status` and PASS with `edgewatch budget`', async () => {
    const address = `--web.listen-address=${s.webUrl.slice('http://'.length)}`;
    const status = await runEdgewatch(['status', address]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /^COMPONENT\s+PID\s+HEALTH\s+UPTIME\s+RESTARTS\s+RSS MB\s+PSS MB$/m);
    assert.match(status.stdout, new RegExp(`^edgewatch\\s+${s.proc.pid}\\s+healthy`, 'm'));
    assert.match(status.stdout, /^victoriametrics\s+\d+\s+healthy\s+\d+s\s+0\s+[\d.]+\s+[\d.]+$/m);

    const budget = await runEdgewatch(['budget', address]);
    assert.equal(budget.code, 0, budget.stderr);
    assert.match(budget.stdout, /^total\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+%\s+314\.6/m);
    assert.match(budget.stdout, /budget\.memory 300MiB \(314\.6 MB\): PASS/);
  });

  it('restarts a killed VictoriaMetrics, which still has the data it had written to disk', async () => {
    // VictoriaMetrics 1.79 keeps the newest samples in memory parts for ~10 s; a crash loses those
    // (as its documentation says). The samples up to the newest part on disk must survive.
    const onDisk = await waitFor(
      'a part on disk holding sensor samples',
      async () => {
        const newest = await newestSampleOnDisk(s.dir);
        const stored = await exportTimestamps(s.vmUrl, 'sensor_up');
        const durable = stored.filter((t) => newest !== undefined && t <= newest);
        return durable.length >= 3 ? durable : undefined;
      },
      40_000,
      500,
    );

    const vm = (await s.stack()).components.find((c) => c.name === 'victoriametrics');
    assert.ok(vm?.pid);
    process.kill(vm.pid, 'SIGKILL');

    const restarted = await waitFor(
      'VictoriaMetrics restarted and healthy',
      async () => {
        const c = (await s.stack()).components.find((x) => x.name === 'victoriametrics');
        return c && c.pid !== vm.pid && c.health === 'healthy' ? c : undefined;
      },
      10_000,
    );
    assert.equal(restarted.restarts, 1);
    assert.ok(processGone(vm.pid));
    const exited = s.proc.lines.find(
      (l) => l.msg === 'component exited' && l.component === 'victoriametrics',
    );
    assert.equal(exited?.exit, 'killed by SIGKILL');
    assert.ok(Array.isArray(exited?.output));

    const afterRestart = new Set(await exportTimestamps(s.vmUrl, 'sensor_up'));
    assert.deepEqual(
      onDisk.filter((t) => !afterRestart.has(t)),
      [],
      'samples from before the kill',
    );
    // And it scrapes again.
    await queryUntilPresent(s.vmUrl, `timestamp(sensor_up) > ${Math.ceil(Date.now() / 1000)}`, 10_000);
  });

  it('restarts a killed vmalert and says how it ended', async () => {
    const before = (await s.stack()).components.find((c) => c.name === 'vmalert');
    assert.ok(before?.pid);
    process.kill(before.pid, 'SIGKILL');
    const restarted = await waitFor(
      'vmalert restarted and healthy',
      async () => {
        const c = (await s.stack()).components.find((x) => x.name === 'vmalert');
        return c && c.pid !== before.pid && c.health === 'healthy' ? c : undefined;
      },
      10_000,
    );
    assert.equal(restarted.restarts, before.restarts + 1);
    assert.equal(restarted.last_exit?.reason, 'killed by SIGKILL');
    assert.ok(processGone(before.pid));
  });

  it('stops every component on SIGTERM and exits 0', async () => {
    const pids = await s.childPids();
    assert.equal(pids.length, 2);
    s.proc.child.kill('SIGTERM');
    const { code } = await s.proc.exited;
    assert.equal(code, 0);
    assert.deepEqual(
      pids.filter((pid) => !processGone(pid)),
      [],
      'component processes still running',
    );
    const stopped = s.proc.lines.filter((l) => l.msg === 'stopped').map((l) => l.step);
    assert.deepEqual(stopped.slice(0, 3), ['vmalert', 'victoriametrics', 'http']);
  });
});
