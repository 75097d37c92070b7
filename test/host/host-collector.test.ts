import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir, totalmem, uptime } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HostCollector } from '../../src/host/host-collector.js';
import { HostSampler } from '../../src/host/host-sampler.js';
import { CPU_MODES } from '../../src/host/procfs.js';
import type { ExpositionFormat } from '../../src/metrics/exposition.js';
import * as fixture from './proc-fixture.js';

const signal = () => AbortSignal.timeout(5000);

/** `name{labels}` → value, from the sample lines of an exposition. */
function samples(body: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of body.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    out.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return out;
}

function render(collector: HostCollector, format: ExpositionFormat = 'prometheus'): string {
  return collector.collect('', format);
}

describe('host sampler and collector, on a fixture procfs', () => {
  let proc: fixture.ProcTree;
  let dataRoot: string;
  let dataMount: string;
  before(() => {
    dataRoot = realpathSync(mkdtempSync(join(tmpdir(), 'ew-')));
    dataMount = join(dataRoot, 'ssd');
    mkdirSync(dataMount);
    proc = new fixture.ProcTree({
      stat: fixture.stat,
      meminfo: fixture.meminfo,
      loadavg: fixture.loadavg,
      'net/dev': fixture.netDev,
      'self/mountinfo': fixture.mountinfo(dataMount),
    });
  });
  after(() => {
    proc.remove();
    rmSync(dataRoot, { recursive: true, force: true });
  });
  const sampler = () =>
    new HostSampler({ procfsRoot: proc.root, dataPath: join(dataMount, 'victoria-metrics') });

  it('exports nothing before the first sample', () => {
    assert.equal(new HostCollector(sampler()).collect('# before\n', 'prometheus'), '# before\n');
  });

  it('exports every family under node_exporter names, labels and values', async () => {
    const host = sampler();
    const before = Date.now() / 1000;
    await host.sample(signal());
    const after = Date.now() / 1000;
    const body = render(new HostCollector(host));
    const s = samples(body);

    assert.equal(s.get('node_cpu_seconds_total{cpu="1",mode="idle"}'), 100.01);
    assert.equal(s.get('node_cpu_seconds_total{cpu="3",mode="steal"}'), 0.02);
    assert.equal(
      [...s.keys()].filter((k) => k.startsWith('node_cpu_seconds_total{')).length,
      4 * CPU_MODES.length,
    );
    assert.equal(s.get('node_memory_MemTotal_bytes'), 3884008 * 1024);
    assert.equal(s.get('node_memory_MemAvailable_bytes'), 3100000 * 1024);
    assert.equal(s.get('node_memory_MemFree_bytes'), undefined);
    assert.deepEqual([s.get('node_load1'), s.get('node_load5'), s.get('node_load15')], [0.52, 0.58, 0.59]);
    assert.equal(s.get('node_network_receive_bytes_total{device="wlan0"}'), 4294967296);
    assert.equal(
      s.get('node_network_receive_bytes_total{device="vethab12"}'),
      undefined,
      'virtual interfaces left out',
    );
    assert.equal(s.get('node_network_transmit_bytes_total{device="eth0"}'), 12345678);
    assert.equal(s.get('node_network_receive_errs_total{device="eth0"}'), 3);
    assert.equal(s.get('node_network_transmit_errs_total{device="eth0"}'), 1);
    assert.equal(s.get('node_network_receive_bytes_total{device="lo"}'), 123456);
    assert.equal(s.get('node_boot_time_seconds'), 1_700_000_000);
    const time = s.get('node_time_seconds') ?? 0;
    assert.ok(time >= before && time <= after, `node_time_seconds ${time}`);

    // The data directory does not exist yet: the filesystem it will be created on is reported.
    const fs = `{device="/dev/sda1",fstype="ext4",mountpoint="${dataMount}"}`;
    const real = statfsSync(dataMount);
    assert.equal(s.get(`node_filesystem_size_bytes${fs}`), real.blocks * real.bsize);
    const avail = s.get(`node_filesystem_avail_bytes${fs}`) ?? -1;
    const free = s.get(`node_filesystem_free_bytes${fs}`) ?? -1;
    assert.ok(avail > 0 && avail <= free && free <= real.blocks * real.bsize, `avail ${avail} free ${free}`);

    assert.match(body, /^# HELP node_cpu_seconds_total .+\n# TYPE node_cpu_seconds_total counter\n/);
    assert.match(body, /\n# TYPE node_network_receive_bytes_total counter\n/);
    assert.match(body, /\n# TYPE node_memory_MemTotal_bytes gauge\n/);
    assert.match(body, /\n# TYPE node_filesystem_avail_bytes gauge\n/);
    // /metrics must stay under 8 KB in all. A Pi 4 (four cores, three interfaces) measures ~4.5 KB,
    // 2 KB of it node_cpu_seconds_total: this guards against it creeping up.
    assert.ok(body.length < 4800, `host metrics are ${body.length} bytes`);
  });

  it('renders OpenMetrics family names without the _total suffix', async () => {
    const host = sampler();
    await host.sample(signal());
    const body = render(new HostCollector(host), 'openmetrics');
    assert.match(body, /^# TYPE node_cpu_seconds counter\n# HELP node_cpu_seconds .+\n/);
    assert.ok(body.includes('node_cpu_seconds_total{cpu="0",mode="user"} 2.5\n'));
  });

  it('follows new samples, drops vanished interfaces, and moves to a new mount', async () => {
    const host = sampler();
    const collector = new HostCollector(host);
    await host.sample(signal());
    assert.ok(samples(render(collector)).has('node_network_receive_bytes_total{device="wlan0"}'));

    const lines = fixture.netDev.split('\n');
    proc.write({
      'net/dev': [...lines.slice(0, 3), lines[3]?.replace('98765432', '98765999'), ''].join('\n'),
      'self/mountinfo': `${fixture.mountinfo(dataMount)}50 40 8:2 / ${dataMount}/victoria-metrics rw - xfs /dev/sdb1 rw\n`,
    });
    mkdirSync(join(dataMount, 'victoria-metrics'));
    try {
      await host.sample(signal());
      const s = samples(render(collector));
      assert.equal(s.get('node_network_receive_bytes_total{device="eth0"}'), 98765999);
      assert.equal(s.has('node_network_receive_bytes_total{device="wlan0"}'), false);
      assert.equal([...s.keys()].filter((k) => k.startsWith('node_network_')).length, 8);
      const fsSeries = [...s.keys()].filter((k) => k.startsWith('node_filesystem_size_bytes'));
      assert.deepEqual(fsSeries, [
        `node_filesystem_size_bytes{device="/dev/sdb1",fstype="xfs",mountpoint="${dataMount}/victoria-metrics"}`,
      ]);
    } finally {
      proc.write({ 'net/dev': fixture.netDev, 'self/mountinfo': fixture.mountinfo(dataMount) });
      rmSync(join(dataMount, 'victoria-metrics'), { recursive: true });
    }
  });

  it('keeps what it could read when a file fails, and drops the failed part', async () => {
    const host = sampler();
    const collector = new HostCollector(host);
    await host.sample(signal());
    rmSync(join(proc.root, 'meminfo'));
    try {
      await assert.rejects(host.sample(signal()), { code: 'ENOENT' });
      const s = samples(render(collector));
      assert.equal(s.has('node_memory_MemTotal_bytes'), false);
      assert.equal(s.get('node_load1'), 0.52);
      rmSync(join(proc.root, 'loadavg'));
      await assert.rejects(host.sample(signal()), (err: unknown) => {
        assert.ok(err instanceof AggregateError);
        assert.equal(err.errors.length, 2);
        return true;
      });
      assert.equal(samples(render(collector)).has('node_load1'), false);
      assert.equal(samples(render(collector)).get('node_boot_time_seconds'), 1_700_000_000);
    } finally {
      proc.write({ meminfo: fixture.meminfo, loadavg: fixture.loadavg });
    }
  });

  it('stores nothing when the signal aborted during the sample', async () => {
    const host = sampler();
    await host.sample(AbortSignal.abort());
    assert.equal(host.latest, undefined);
  });
});

describe('host sampler on this machine', () => {
  it('reads real, plausible values from /proc', async () => {
    const host = new HostSampler({ procfsRoot: '/proc', dataPath: tmpdir() });
    await host.sample(signal());
    const s = samples(render(new HostCollector(host)));
    const cpuLines = readFileSync('/proc/stat', 'utf8').match(/^cpu\d+ /gm)?.length ?? 0;
    const cpuSeries = [...s].filter(([k]) => k.startsWith('node_cpu_seconds_total{'));
    assert.ok(cpuLines > 0);
    assert.equal(cpuSeries.length, cpuLines * CPU_MODES.length);
    assert.ok((s.get('node_cpu_seconds_total{cpu="0",mode="idle"}') ?? 0) > 0);
    assert.equal(s.get('node_memory_MemTotal_bytes'), totalmem());
    assert.ok((s.get('node_memory_MemAvailable_bytes') ?? 0) > 0);
    assert.ok((s.get('node_load1') ?? -1) >= 0);
    assert.ok(Math.abs((s.get('node_boot_time_seconds') ?? 0) - (Date.now() / 1000 - uptime())) < 5);
    assert.ok(s.has('node_network_receive_bytes_total{device="lo"}'));
    const size = [...s].find(([k]) => k.startsWith('node_filesystem_size_bytes{'));
    assert.ok(size && size[1] > 0, 'data directory filesystem size');
  });
});
