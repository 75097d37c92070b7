/**
 * A host or process part whose read fails disappears from /metrics instead of being served with
 * its last value, and the job's failures and last complete run are exported
 * (edgewatch_sample_*). Driven by the real Sampler over a fixture procfs in which files are
 * removed and put back while it runs.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { HostCollector } from '../../src/host/host-collector.js';
import { HostSampler } from '../../src/host/host-sampler.js';
import { ProcessCollector } from '../../src/host/process-collector.js';
import { silentLogger } from '../../src/log/logger.js';
import { JobHealthCollector } from '../../src/sampling/job-health.js';
import { Sampler, SampleTimeoutError } from '../../src/sampling/sampler.js';
import { promtoolProblems } from '../helpers/promtool.js';
import { waitFor } from '../helpers/wait.js';
import * as fixture from './proc-fixture.js';

/** The value of the line for `series` (name and labels, exactly), if present. */
function value(body: string, series: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** The first rendering for which `ok` holds, polled. */
function bodyWhen(what: string, render: () => string, ok: (body: string) => boolean): Promise<string> {
  return waitFor(what, () => {
    const body = render();
    return ok(body) ? body : undefined;
  });
}

describe('failing host and process reads', () => {
  let proc: fixture.ProcTree;
  let dataRoot: string;
  let sampler: Sampler | undefined;

  before(() => {
    dataRoot = realpathSync(mkdtempSync(join(tmpdir(), 'ew-')));
    proc = new fixture.ProcTree({
      stat: fixture.stat,
      meminfo: fixture.meminfo,
      loadavg: fixture.loadavg,
      'net/dev': fixture.netDev,
      'self/mountinfo': fixture.mountinfo(dataRoot),
      'self/limits':
        'Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 4096                 files\n',
    });
    mkdirSync(join(proc.root, 'self/fd'));
    writeFileSync(join(proc.root, 'self/fd/0'), '');
  });
  afterEach(() => sampler?.stop());
  after(() => {
    proc.remove();
    rmSync(dataRoot, { recursive: true, force: true });
  });

  /** A sampler every 20 ms running `job`, tracked; renders the collectors with the job metrics. */
  function run(
    job: ReturnType<HostSampler['job']>,
    collector: { collect(o: string, f: 'prometheus'): string },
  ) {
    const health = new JobHealthCollector(silentLogger);
    sampler = new Sampler({ intervalMs: 20, timeoutMs: 2000, log: silentLogger });
    sampler.add(health.track(job));
    sampler.start();
    return () => collector.collect('', 'prometheus') + health.collect('', 'prometheus');
  }

  it('drops node_memory_* while /proc/meminfo is unreadable, counts the failures, and brings it back', async () => {
    const host = new HostSampler({ procfsRoot: proc.root, dataPath: dataRoot });
    const render = run(host.job(20), new HostCollector(host));
    const failures = 'edgewatch_sample_failures_total{job="host"}';
    const lastSuccess = 'edgewatch_sample_last_success_timestamp_seconds{job="host"}';
    const first = await bodyWhen(
      'a first host sample',
      render,
      (body) => value(body, lastSuccess) !== undefined,
    );
    assert.equal(value(first, 'node_memory_MemTotal_bytes'), 3884008 * 1024);
    assert.equal(value(first, failures), 0);
    assert.deepEqual(promtoolProblems(first), []);

    const meminfo = join(proc.root, 'meminfo');
    renameSync(meminfo, `${meminfo}.gone`);
    const broken = await bodyWhen(
      'three failed host samples',
      render,
      (body) => (value(body, failures) ?? 0) >= 3,
    );
    assert.equal(value(broken, 'node_memory_MemTotal_bytes'), undefined, 'no stale memory value');
    assert.equal(value(broken, 'node_load1'), 0.52, 'the other parts are still served');
    assert.ok(value(broken, 'node_time_seconds'));
    const stuckAt = value(broken, lastSuccess);
    assert.equal(value(render(), lastSuccess), stuckAt, 'no complete run since');

    renameSync(`${meminfo}.gone`, meminfo);
    const healed = await bodyWhen(
      'memory back',
      render,
      (body) => value(body, 'node_memory_MemTotal_bytes') !== undefined,
    );
    assert.ok((value(healed, lastSuccess) ?? 0) > (stuckAt ?? 0));
  });

  it('drops every host series when a sample times out (a hung read is not served as current)', async () => {
    const host = new HostSampler({ procfsRoot: proc.root, dataPath: dataRoot });
    await host.sample(AbortSignal.timeout(5000));
    const collector = new HostCollector(host);
    assert.match(collector.collect('', 'prometheus'), /^node_load1 /m);
    host.job(20).failed?.(new SampleTimeoutError('host', 2000), Date.now());
    assert.equal(collector.collect('', 'prometheus'), '');
  });

  it('drops process_open_fds while /proc/self/fd cannot be listed, keeping the rest', async () => {
    const collector = new ProcessCollector(proc.root);
    const render = run({ ...collector.job(), intervalMs: 20 }, collector);
    const failures = 'edgewatch_sample_failures_total{job="process"}';
    const first = await bodyWhen(
      'a first process sample',
      render,
      (body) => value(body, 'process_open_fds') !== undefined,
    );
    assert.equal(value(first, 'process_open_fds'), 1);
    assert.equal(value(first, 'process_max_fds'), 1024);
    assert.deepEqual(promtoolProblems(first), []);

    const fd = join(proc.root, 'self/fd');
    renameSync(fd, `${fd}.gone`);
    const broken = await bodyWhen(
      'a failed process sample',
      render,
      (body) => (value(body, failures) ?? 0) >= 2,
    );
    assert.equal(value(broken, 'process_open_fds'), undefined, 'no stale fd count');
    assert.ok(value(broken, 'process_resident_memory_bytes'));
    assert.equal(value(broken, 'process_max_fds'), 1024);
    renameSync(`${fd}.gone`, fd);
    await waitFor('fds back', () => value(render(), 'process_open_fds') === 1);
  });
});
