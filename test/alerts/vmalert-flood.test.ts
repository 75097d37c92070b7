/**
 * Crowding out, with the real vmalert: another sender posts 31,000 distinct alerts (filling
 * alerting.max-active and the action queue) before vmalert's first notification. vmalert's
 * alert must still be stored and its action run.
 */

import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type Alerting, createAlerting } from '../../src/alerts/alerting.js';
import type { AlertsReport } from '../../src/api/types.js';
import { silentLogger } from '../../src/log/logger.js';
import { stopChildProcess } from '../helpers/child.js';
import { waitFor } from '../helpers/wait.js';
import { type AppFixture, postAlerts, send, serveRoutes } from './http-fixture.js';
import { startVmalertPair } from './vmalert-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'edgewatch-vmalert-flood-'));
const actionFile = join(dir, 'action.txt');
let children: ChildProcess[] = [];

let alerting: Alerting;
let app: AppFixture;
const token = 'vmalert-test-token';

const rules = `groups:
  - name: edgewatch-test
    rules:
      - alert: AlwaysFiring
        expr: vector(1) > 0
        for: 0s
        labels:
          severity: critical
        annotations:
          summary: always firing
`;

before(async () => {
  alerting = createAlerting(
    {
      maxPayloadBytes: 4 * 1024 ** 2,
      maxActive: 100,
      maxMemoryBytes: 4 * 1024 ** 2,
      historySize: 50,
      resolveTimeoutMs: 300_000,
      actionCommand: `printf '%s %s %s %s\\n' "$EDGEWATCH_ALERT_NAME" "$EDGEWATCH_ALERT_STATE" "$EDGEWATCH_ALERT_SEVERITY" "$EDGEWATCH_ALERT_SUMMARY" >> '${actionFile}'`,
      actionTimeoutMs: 5000,
    },
    silentLogger,
    Date.now,
    { vmalertToken: token },
  );
  app = await serveRoutes(alerting.routes);
  const flood = Array.from({ length: 31_000 }, (_, i) => ({ labels: { alertname: `Flood${i}` } }));
  const reply = await postAlerts(app.url, flood);
  assert.equal(reply.status, 200);

  ({ children } = await startVmalertPair(dir, rules, app.url, token));
});

after(async () => {
  await Promise.all(children.map((child) => stopChildProcess(child)));
  await app?.close();
  await alerting?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("a flood from another sender does not crowd out vmalert's alert nor its action", async () => {
  assert.ok(alerting.collector.rejected.value >= 31_000 - 100, 'the flood filled max-active');
  await waitFor(
    "vmalert's action",
    () => existsSync(actionFile) && readFileSync(actionFile, 'utf8').includes('AlwaysFiring'),
    20_000,
    100,
  );
  assert.match(readFileSync(actionFile, 'utf8'), /^AlwaysFiring firing critical always firing$/m);
  const report = JSON.parse((await send(`${app.url}/api/alerts`)).body) as AlertsReport;
  assert.ok(
    report.active.some((a) => a.name === 'AlwaysFiring'),
    "vmalert's alert is active",
  );
  // Without vmalert's token, a sender can neither update nor resolve vmalert's alert.
  const resolve = await postAlerts(app.url, [
    { labels: { alertname: 'AlwaysFiring', severity: 'critical' }, endsAt: '2000-01-01T00:00:00Z' },
  ]);
  assert.equal(resolve.status, 200);
  const after = JSON.parse((await send(`${app.url}/api/alerts`)).body) as AlertsReport;
  assert.ok(
    after.active.some((a) => a.name === 'AlwaysFiring'),
    "vmalert's alert is still active",
  );
});
