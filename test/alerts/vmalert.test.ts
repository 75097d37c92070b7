/**
 * End to end with the real binaries: VictoriaMetrics as datasource, vmalert evaluating an
 * always-firing rule every second and notifying edgewatch's receiver, which runs the action.
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
import { type AppFixture, send, serveRoutes } from './http-fixture.js';
import { startVmalertPair } from './vmalert-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'edgewatch-vmalert-'));
const actionFile = join(dir, 'action.txt');
let children: ChildProcess[] = [];

let alerting: Alerting;
let app: AppFixture;
let vmalertPort: number;
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
      maxPayloadBytes: 1024 ** 2,
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

  ({ children, vmalertPort } = await startVmalertPair(dir, rules, app.url, token));
});

after(async () => {
  await Promise.all(children.map((child) => stopChildProcess(child)));
  await app?.close();
  await alerting?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('an always-firing vmalert rule reaches the receiver and runs the action', async () => {
  await waitFor('the action to write its file', () => existsSync(actionFile), 20_000, 100);
  assert.equal(readFileSync(actionFile, 'utf8').split('\n')[0], 'AlwaysFiring firing critical always firing');

  const report = JSON.parse((await send(`${app.url}/api/alerts`)).body) as AlertsReport;
  assert.equal(report.active.length, 1);
  assert.equal(report.active[0]?.name, 'AlwaysFiring');
  assert.equal(report.active[0]?.labels.severity, 'critical');

  // vmalert re-sends the firing alert every second: no new state change, no second action.
  await waitFor('three notifications', () => alerting.collector.notifications.value >= 3, 10_000, 100);
  const later = JSON.parse((await send(`${app.url}/api/alerts`)).body) as AlertsReport;
  assert.equal(later.history.length, 1);
  assert.equal(readFileSync(actionFile, 'utf8').trim().split('\n').length, 1);

  // vmalert counts deliveries that did not get 200 as errors.
  const metrics = (await send(`http://127.0.0.1:${vmalertPort}/metrics`)).body;
  const errors = /^vmalert_alerts_send_errors_total\{[^}]*\} (\d+)$/m.exec(metrics);
  assert.ok(errors, 'vmalert exports vmalert_alerts_send_errors_total');
  assert.equal(errors[1], '0', 'vmalert saw no failed deliveries');
});
