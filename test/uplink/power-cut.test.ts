/**
 * A power cut in the middle of an outage: the whole process tree SIGKILLed 30 s into it, then
 * `edgewatch up` again on the same data directory. The central ends with every sample the box
 * had stored (the persisted deliveredUntil tells the new run where to re-send from); what the box
 * never stored (VictoriaMetrics' unflushed last seconds) is measured, not hidden.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { beginOutage, startBox, useBoxWithCentral } from '../helpers/box.js';
import { startCentral } from '../helpers/central.js';
import { exportWindow } from '../helpers/series-diff.js';
import { endOutageAndCompare } from '../helpers/uplink-window.js';
import { pidAlive, sleep, waitFor } from '../helpers/wait.js';

const OUTAGE_MS = 60_000;
const KILL_AFTER_MS = 30_000;

describe('uplink outage with a power cut', { timeout: 175_000 }, () => {
  const f = useBoxWithCentral(startCentral);

  it('misses none of the stored samples after the restart', async (t) => {
    const { central } = f;
    const first = f.box;
    const { start, downAt } = await beginOutage(f);
    await sleep(downAt + KILL_AFTER_MS - Date.now());
    const pids = [first.proc.pid];
    for (const name of ['victoriametrics', 'vmalert', 'vmagent'])
      pids.push((await first.componentPid(name)) as number);
    // The power cut: every process at once, none gets to flush or to stop its children.
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    const killAt = Date.now();
    await waitFor('the tree to be gone', () => pids.every((pid) => !pidAlive(pid)), 10_000, 50);
    f.box = await startBox(central, f.dir);
    const box = f.box;
    // The central may hold a few samples the box's store lost in the kill: not exact.
    const { diff, from, to } = await endOutageAndCompare(f, { start, downAt, outageMs: OUTAGE_MS }, false);
    const local = await exportWindow(
      box.vmUrl,
      `up{job="edgewatch",instance="${new URL(first.webUrl).host}"}`,
      from,
      killAt,
    );
    const lastStored = Math.max(...[...([...local.values()][0] ?? [])]);
    assert.ok(
      ((await box.metric('edgewatch_uplink_backfilled_samples_total')) ?? 0) > 0,
      'the new run backfilled',
    );
    t.diagnostic(
      `window ${Math.round((to - from) / 1000)} s: box ${diff.boxSamples} samples, central ${diff.centralSamples}, missing ${diff.missing}, at the central only ${diff.extra}; the last ${((killAt - lastStored) / 1000).toFixed(1)} s before the kill were never stored on the box; backfilled ${await box.metric('edgewatch_uplink_backfilled_samples_total')}`,
    );
  });
});
