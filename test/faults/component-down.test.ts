/**
 * vmalert cannot alert that vmalert is down: edgewatch raises ComponentDown itself. vmalert is
 * frozen with SIGSTOP (it keeps its pid, so the supervisor does not restart it, and stops
 * answering its health check), then thawed with SIGCONT; the alert must fire, reach
 * GET /api/alerts without vmalert, and resolve.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AlertsReport } from '../../src/api/types.js';
import { httpGet } from '../helpers/net.js';
import { type StackUnderTest, startStack } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait.js';

describe('a hung vmalert under edgewatch up', { timeout: 90_000 }, () => {
  let s: StackUnderTest;
  let vmalertPid: number | undefined;

  const alerts = async () => JSON.parse((await httpGet(`${s.webUrl}/api/alerts`)).body) as AlertsReport;

  before(async () => {
    s = await startStack();
    vmalertPid = (await s.stack()).components.find((c) => c.name === 'vmalert')?.pid ?? undefined;
  });

  after(async () => {
    if (vmalertPid !== undefined) process.kill(vmalertPid, 'SIGCONT');
    await s?.cleanup();
  });

  it('raises ComponentDown{component="vmalert"} while vmalert does not answer', async () => {
    assert.ok(vmalertPid, 'vmalert runs');
    process.kill(vmalertPid, 'SIGSTOP');
    // The supervisor probes a healthy component every 5 s; two checks in a row then fire.
    const alert = await waitFor(
      'ComponentDown in GET /api/alerts',
      async () => (await alerts()).active.find((a) => a.name === 'ComponentDown'),
      30_000,
      200,
    );
    assert.equal(alert.labels.component, 'vmalert');
    assert.equal(alert.severity, 'critical');
    const metrics = await httpGet(`${s.webUrl}/metrics`);
    assert.match(metrics.body, /^edgewatch_alerts_active\{severity="critical"\} [1-9]/m);
  });

  it('resolves it once vmalert answers again', async () => {
    assert.ok(vmalertPid);
    process.kill(vmalertPid, 'SIGCONT');
    await waitFor(
      'ComponentDown resolved',
      async () => ((await alerts()).active.some((a) => a.name === 'ComponentDown') ? undefined : true),
      30_000,
      200,
    );
    const resolved = (await alerts()).history.find(
      (h) => h.name === 'ComponentDown' && h.state === 'resolved',
    );
    assert.equal(resolved?.labels.component, 'vmalert');
  });
});
