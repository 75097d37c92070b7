/**
 * vmagent SIGKILLed 30 s into a 60 s outage (the supervisor restarts it on the same queue): the
 * blocks it was retrying in RAM are gone (measured 50–250 samples), and the backfill from the
 * box's own VictoriaMetrics brings the central back to every stored sample.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { beginOutage, useBoxWithCentral } from '../helpers/box.js';
import { startCentral } from '../helpers/central.js';
import { endOutageAndCompare, vmagentRssMb } from '../helpers/uplink-window.js';
import { sleep, waitFor } from '../helpers/wait.js';

const OUTAGE_MS = 60_000;
const KILL_AFTER_MS = 30_000;

describe('uplink outage with vmagent killed', { timeout: 170_000 }, () => {
  const f = useBoxWithCentral(startCentral);

  it('misses none of the stored samples after the backfill', async (t) => {
    const { box } = f;
    const { start, downAt } = await beginOutage(f);
    // The scenario's timeline: kill 30 s into the outage, end it at 60 s.
    await sleep(downAt + KILL_AFTER_MS - Date.now());
    const pid = await box.componentPid('vmagent');
    assert.ok(pid);
    process.kill(pid, 'SIGKILL');
    await waitFor(
      'vmagent restarted',
      async () => {
        const next = await box.componentPid('vmagent');
        return next !== undefined && next !== pid;
      },
      20_000,
      200,
    );
    const { diff, from, to } = await endOutageAndCompare(f, { start, downAt, outageMs: OUTAGE_MS });
    const backfilled = (await box.metric('edgewatch_uplink_backfilled_samples_total')) ?? 0;
    assert.ok(backfilled > 0, 'the backfill ran');
    t.diagnostic(
      `window ${Math.round((to - from) / 1000)} s: box ${diff.boxSamples} samples in ${diff.series} series, central ${diff.centralSamples}, missing ${diff.missing}, extra ${diff.extra}; backfilled ${backfilled}; vmagent RSS ${await vmagentRssMb(box)} MB`,
    );
  });
});
