/**
 * The backfill against real VictoriaMetrics on both ends: a window exported from the box's store
 * arrives at the central (through vmauth, with the endpoint's token) with the device labels, a
 * displaced scraped label kept as exported_<name>, and the pacing holds the byte rate (time
 * injected: the sleeps are counted, not waited).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backfill, SLICE_MS } from '../../src/uplink/backfill.js';
import { DEFAULT_MAX_DISK_USAGE, deriveImportUrl } from '../../src/uplink/remote-write-config.js';
import { type Central, startCentral } from '../helpers/central.js';
import { exportWindow } from '../helpers/series-diff.js';
import { importSamples, startVictoriaMetrics, type VictoriaMetrics } from '../helpers/victoria-metrics.js';
import { waitFor } from '../helpers/wait.js';

const SERIES = 20;
const SECONDS = 150;

describe('backfill', { timeout: 60_000 }, () => {
  let local: VictoriaMetrics;
  let central: Central;
  const end = Math.floor(Date.now() / 1000) * 1000 - 60_000;
  const start = end - (SECONDS - 1) * 1000;

  before(async () => {
    [local, central] = await Promise.all([startVictoriaMetrics(), startCentral()]);
    const lines: string[] = [];
    for (let s = 0; s < SECONDS; s++) {
      const ts = start + s * 1000;
      for (let i = 0; i < SERIES; i++) lines.push(`test_reading{job="edgewatch",n="${i}"} ${i + s} ${ts}`);
      lines.push(`node_network_receive_bytes_total{job="edgewatch",device="eth0"} ${s * 100} ${ts}`);
      // Not sent by vmagent, so not re-sent: other jobs and vmalert's ALERTS.
      lines.push(`other_job_metric{job="elsewhere"} 1 ${ts}`);
      lines.push(`ALERTS{job="edgewatch",alertname="X",alertstate="firing"} 1 ${ts}`);
    }
    await importSamples(local, `${lines.join('\n')}\n`);
  });

  after(async () => {
    await local?.stop();
    await central?.stop();
  });

  it('re-sends the window with the device labels, paced to the rate', async () => {
    let virtual = 0;
    const sleeps: number[] = [];
    const rate = 2048;
    const importUrl = deriveImportUrl(central.writeUrl);
    assert.ok(importUrl);
    const result = await backfill(
      {
        localUrl: local.url,
        central: {
          endpoint: {
            url: central.writeUrl,
            bearerTokenFile: central.tokenFile,
            maxDiskUsageBytes: DEFAULT_MAX_DISK_USAGE,
          },
          importUrl,
          timeoutMs: 10_000,
        },
        jobs: ['edgewatch', 'victoriametrics'],
        deviceLabels: { site: 'berlin', device: 'crane-1' },
        rateLimitBytes: rate,
        now: () => virtual,
        sleep: async (ms) => {
          sleeps.push(ms);
          virtual += ms;
        },
      },
      start,
      end,
    );
    assert.equal(
      result.samples,
      SECONDS * (SERIES + 1),
      'every sample of the two jobs, no ALERTS, no other job',
    );
    assert.equal(result.slices, Math.ceil((end - start + 1) / SLICE_MS));
    // Cumulative pacing: the virtual clock ends where the bytes sent at the rate would.
    assert.ok(Math.abs(virtual - (result.bytes / rate) * 1000) < 1, `${virtual} ms for ${result.bytes} B`);
    assert.equal(sleeps.length, result.slices);

    const got = await waitFor(
      'the central to have the window',
      async () => {
        const w = await exportWindow(central.vmUrl, '{job="edgewatch"}', start, end);
        const n = [...w.values()].reduce((a, b) => a + b.size, 0);
        return n === SECONDS * (SERIES + 1) ? w : undefined;
      },
      20_000,
      500,
    );
    const keys = [...got.keys()];
    assert.ok(
      keys.every((k) => k.includes('["site","berlin"]') && k.includes('["device","crane-1"]')),
      keys[0],
    );
    assert.ok(
      keys.some((k) => k.includes('["exported_device","eth0"]')),
      'the scraped device label kept',
    );
    assert.ok(!keys.some((k) => k.includes('ALERTS')));
  });

  it('fails with the central status when the central refuses', async () => {
    await central.setMode(401);
    const importUrl = deriveImportUrl(central.writeUrl) as string;
    await assert.rejects(
      backfill(
        {
          localUrl: local.url,
          central: {
            endpoint: { url: central.writeUrl, maxDiskUsageBytes: 1 << 30 },
            importUrl,
            timeoutMs: 5000,
          },
          jobs: ['edgewatch'],
          deviceLabels: {},
          rateLimitBytes: 0,
        },
        start,
        end,
      ),
      (err: Error & { status?: number }) => err.status === 401,
    );
    await central.setMode('pass');
  });
});
