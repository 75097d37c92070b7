/**
 * The central goes away for 60 s and comes back: it ends with exactly the samples the box
 * stored for the window, per series. vmagent's disk queue does the work here, and edgewatch,
 * seeing no loss (only send errors), re-sends nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Box, boxDir, removeBoxDir, startBox, waitDeliveredPast } from '../helpers/box.js';
import { type Central, startCentral } from '../helpers/central.js';
import { expectCentralHoldsWindow, vmagentRssMb } from '../helpers/uplink-window.js';
import { sleep, waitFor } from '../helpers/wait.js';

const OUTAGE_MS = 60_000;

describe('uplink outage', { timeout: 170_000 }, () => {
  let central: Central;
  let box: Box;
  let dir: string;

  before(async () => {
    central = await startCentral();
    dir = await boxDir();
    box = await startBox(central, dir);
  });

  after(async () => {
    await box?.stop();
    await central?.stop();
    if (dir) await removeBoxDir(dir);
  });

  it('delivers every stored sample of a 60 s outage, none missing, none twice', async (t) => {
    const start = await waitDeliveredPast(box, Date.now() - 30_000, 30_000);
    const downAt = Date.now();
    await central.setMode('down');
    await waitFor('uplink down', async () => (await box.metric('edgewatch_uplink_up')) === 0, 20_000, 200);
    await box.proc.waitForLog((l) => l.msg === 'uplink down', 5000);
    // The outage itself is the scenario: its length is the one fixed wait.
    await sleep(downAt + OUTAGE_MS - Date.now());
    const upAt = Date.now();
    await central.setMode('pass');
    // vmagent retries with a backoff of up to 60 s; then edgewatch sees a clean link and re-sends.
    await waitDeliveredPast(box, upAt, 120_000);
    const from = Math.max(start, downAt - 10_000);
    const to = upAt + 5000;
    const diff = await expectCentralHoldsWindow(box, central, from, to);
    assert.ok(diff.boxSamples > 10_000, `a real window: ${diff.boxSamples} samples`);
    // vmagent rode it out from its disk queue: nothing was lost, so nothing is re-sent.
    assert.equal((await box.metric('edgewatch_uplink_backfilled_samples_total')) ?? 0, 0);
    t.diagnostic(
      `window ${Math.round((to - from) / 1000)} s: box ${diff.boxSamples} samples in ${diff.series} series, central ${diff.centralSamples}, missing ${diff.missing}, extra ${diff.extra}; backfilled ${await box.metric('edgewatch_uplink_backfilled_samples_total')}; vmagent RSS ${await vmagentRssMb(box)} MB`,
    );
  });
});
