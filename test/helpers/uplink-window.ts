/** Waits until the central holds exactly the box's samples for a window, or fails with the diff. */
import assert from 'node:assert/strict';
import { type Box, type BoxFixture, DEVICE_LABELS, SENT_SELECTOR, waitDeliveredPast } from './box.js';
import type { Central } from './central.js';
import { diffWindows, exportWindow, type WindowDiff } from './series-diff.js';
import { sleep, waitFor } from './wait.js';

export async function windowDiff(
  box: Box,
  central: Central,
  from: number,
  to: number,
  selector = SENT_SELECTOR,
): Promise<WindowDiff> {
  return diffWindows(
    await exportWindow(box.vmUrl, selector, from, to),
    await exportWindow(central.vmUrl, SENT_SELECTOR, from, to, Object.keys(DEVICE_LABELS)),
  );
}

/**
 * None missing. `exact` also wants none extra: a sample the central has and the box's store
 * does not (only possible when the box's VictoriaMetrics itself lost its last seconds).
 */
export async function expectCentralHoldsWindow(
  box: Box,
  central: Central,
  from: number,
  to: number,
  exact = true,
  selector = SENT_SELECTOR,
): Promise<WindowDiff> {
  try {
    // Searchable a few seconds after import (new series up to ~10 s): wait for the condition.
    return await waitFor(
      'the central to hold the window',
      async () => {
        const d = await windowDiff(box, central, from, to, selector);
        return d.missing === 0 && (!exact || d.extra === 0) ? d : undefined;
      },
      30_000,
      1000,
    );
  } catch (err) {
    const d = await windowDiff(box, central, from, to, selector);
    return assert.fail(`${String(err)}: ${JSON.stringify(d)}`);
  }
}

export async function vmagentRssMb(box: Box): Promise<string> {
  const rss = await box.metric('edgewatch_component_memory_bytes', { component: 'vmagent', kind: 'rss' });
  return ((rss ?? 0) / 1e6).toFixed(1);
}

/**
 * Ends an outage that began at `downAt` once OUTAGE_MS have passed (the scenario's one fixed
 * wait), waits until edgewatch proves everything delivered, and compares the window.
 */
export async function endOutageAndCompare(
  f: BoxFixture,
  window: { start: number; downAt: number; outageMs: number },
  exact = true,
): Promise<{ diff: WindowDiff; from: number; to: number }> {
  await sleep(window.downAt + window.outageMs - Date.now());
  const upAt = Date.now();
  await f.central.setMode('pass');
  // vmagent retries with a backoff of up to 60 s; then edgewatch sees a clean link.
  await waitDeliveredPast(f.box, upAt, 120_000);
  const from = Math.max(window.start, window.downAt - 10_000);
  const to = upAt + 5000;
  return { diff: await expectCentralHoldsWindow(f.box, f.central, from, to, exact), from, to };
}
