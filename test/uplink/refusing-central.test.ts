/**
 * A central answering 401, then 400, then 500 (a Node gate in front of vmauth plays it): each is
 * reported in edgewatch_uplink_* and the log, local storage keeps every scrape, and once the
 * central accepts again it holds every stored sample, also those vmagent dropped at the 400.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StackReportJson } from '../../src/api/types.js';
import { backfillSelector } from '../../src/uplink/backfill.js';
import { useBoxWithCentral, waitDeliveredPast } from '../helpers/box.js';
import { startCentral } from '../helpers/central.js';
import { httpGet } from '../helpers/net.js';
import { exportWindow } from '../helpers/series-diff.js';
import { expectCentralHoldsWindow } from '../helpers/uplink-window.js';
import { waitFor } from '../helpers/wait.js';

describe('uplink to a refusing central', { timeout: 170_000 }, () => {
  // uplink.jobs at its default: only edgewatch's own job goes to the central.
  const f = useBoxWithCentral(startCentral, ['--uplink.jobs=edgewatch']);

  it('reports 401, 400 and 500, keeps local storage whole, and recovers every sample', async (t) => {
    const { box, central } = f;
    const start = await waitDeliveredPast(box, Date.now() - 30_000, 30_000);
    const refusedAt = Date.now();
    for (const status of [401, 400, 500]) {
      await central.setMode(status);
      await waitFor(
        `edgewatch_uplink_errors_total{status="${status}"}`,
        async () =>
          ((await box.metric('edgewatch_uplink_errors_total', { status: String(status) })) ?? 0) > 0,
        40_000,
        250,
      );
      await waitFor(
        `last error status ${status}`,
        async () => (await box.metric('edgewatch_uplink_last_error_status')) === status,
        10_000,
        250,
      );
      assert.equal(await box.metric('edgewatch_uplink_up'), 0, `down while answering ${status}`);
      const [uplink] = (JSON.parse((await httpGet(`${box.webUrl}/api/stack`)).body) as StackReportJson)
        .uplinks;
      assert.equal(uplink?.up, false, '/api/stack says the uplink is down');
      assert.equal(uplink?.last_error_status, status, '/api/stack names the refusal');
      if (status === 400) {
        // vmagent drops a block refused with 400 for good: counted, and re-sent later by the backfill.
        assert.ok(
          ((await box.metric('edgewatch_uplink_refused_blocks_total')) ?? 0) > 0,
          'refused blocks counted',
        );
      }
    }
    const down = await box.proc.waitForLog((l) => l.msg === 'uplink down', 1000);
    assert.equal(down.level, 'warn');
    const passAt = Date.now();
    await central.setMode('pass');
    await waitDeliveredPast(box, passAt, 120_000);
    assert.equal(await box.metric('edgewatch_uplink_up'), 1);

    // Local storage went on as if nothing happened: a scrape of edgewatch every second.
    const local = await exportWindow(box.vmUrl, 'up{job="edgewatch"}', refusedAt, passAt);
    const stamps = [...([...local.values()][0] ?? [])].sort((a, b) => a - b);
    const gaps = stamps.slice(1).map((ts, i) => ts - (stamps[i] as number));
    assert.ok(stamps.length >= Math.floor((passAt - refusedAt) / 1000) - 2, `${stamps.length} local scrapes`);
    assert.ok(Math.max(...gaps) <= 2000, `no hole in local storage (largest gap ${Math.max(...gaps)} ms)`);

    // The box's edgewatch job against everything the central has: no other job was sent.
    const diff = await expectCentralHoldsWindow(
      box,
      central,
      Math.max(start, refusedAt - 10_000),
      passAt + 5000,
      true,
      backfillSelector(['edgewatch']),
    );
    t.diagnostic(
      `refused ${JSON.stringify(Object.fromEntries(central.refused))} requests; ${Math.round((passAt - refusedAt) / 1000)} s refusing: box ${diff.boxSamples} samples, central ${diff.centralSamples}, missing ${diff.missing}; refused blocks ${await box.metric('edgewatch_uplink_refused_blocks_total')}, backfilled ${await box.metric('edgewatch_uplink_backfilled_samples_total')}`,
    );
  });
});
