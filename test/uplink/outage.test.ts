/**
 * The central goes away for 60 s and comes back: it ends with exactly the samples the box
 * stored for the window, per series. vmagent's disk queue does the work here, and edgewatch,
 * seeing no loss (only send errors), re-sends nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { beginOutage, useBoxWithCentral } from '../helpers/box.js';
import { startCentral } from '../helpers/central.js';
import { endOutageAndCompare, vmagentRssMb } from '../helpers/uplink-window.js';

const OUTAGE_MS = 60_000;

describe('uplink outage', { timeout: 170_000 }, () => {
  const f = useBoxWithCentral(startCentral);

  it('delivers every stored sample of a 60 s outage, none missing, none twice', async (t) => {
    const { box } = f;
    const { start, downAt } = await beginOutage(f);
    await box.proc.waitForLog((l) => l.msg === 'uplink down', 5000);
    const { diff, from, to } = await endOutageAndCompare(f, { start, downAt, outageMs: OUTAGE_MS });
    assert.ok(diff.boxSamples > 10_000, `a real window: ${diff.boxSamples} samples`);
    // vmagent rode it out from its disk queue: nothing was lost, so nothing is re-sent.
    assert.equal((await box.metric('edgewatch_uplink_backfilled_samples_total')) ?? 0, 0);
    t.diagnostic(
      `window ${Math.round((to - from) / 1000)} s: box ${diff.boxSamples} samples in ${diff.series} series, central ${diff.centralSamples}, missing ${diff.missing}, extra ${diff.extra}; backfilled ${await box.metric('edgewatch_uplink_backfilled_samples_total')}; vmagent RSS ${await vmagentRssMb(box)} MB`,
    );
  });
});
