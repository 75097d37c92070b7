/**
 * End to end with the real binaries: VictoriaMetrics as datasource, vmalert evaluating an
 * always-firing rule every second and notifying edgewatch's receiver, which runs the action.
 */

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Alerting, createAlerting } from '../../src/alerts/alerting.js';
import type { AlertsReport } from '../../src/api/types.js';
import { silentLogger } from '../../src/log/logger.js';
import { stopChildProcess } from '../helpers/child.js';
import { freePort } from '../helpers/net.js';
import { type AppFixture, send, serveRoutes } from './http-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'edgewatch-vmalert-'));
const actionFile = join(dir, 'action.txt');
const children: ChildProcess[] = [];

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

  const vmPort = await freePort();
  start('victoria-metrics', [
    `-httpListenAddr=127.0.0.1:${vmPort}`,
    `-storageDataPath=${join(dir, 'vm')}`,
    '-search.latencyOffset=1s',
    '-loggerLevel=ERROR',
  ]);
  await waitForOk(`http://127.0.0.1:${vmPort}/health`);

  const rulesFile = join(dir, 'rules.yml');
  writeFileSync(rulesFile, rules);
  vmalertPort = await freePort();
  start('vmalert', [
    `-rule=${rulesFile}`,
    `-datasource.url=http://127.0.0.1:${vmPort}`,
    `-notifier.url=${app.url}`,
    `-notifier.bearerToken=${token}`,
    '-evaluationInterval=1s',
    `-httpListenAddr=127.0.0.1:${vmalertPort}`,
    '-loggerLevel=ERROR',
  ]);
});

after(async () => {
  await Promise.all(children.map((child) => stopChildProcess(child)));
  await app?.close();
  await alerting?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('an always-firing vmalert rule reaches the receiver and runs the action', async () => {
  await waitFor(() => existsSync(actionFile), 20_000, 'the action to write its file');
  assert.equal(readFileSync(actionFile, 'utf8').split('\n')[0], 'AlwaysFiring firing critical always firing');

  const report = JSON.parse((await send(`${app.url}/api/alerts`)).body) as AlertsReport;
  assert.equal(report.active.length, 1);
  assert.equal(report.active[0]?.name, 'AlwaysFiring');
  assert.equal(report.active[0]?.labels.severity, 'critical');

  // vmalert re-sends the firing alert every second: no new state change, no second action.
  await waitFor(() => alerting.collector.notifications.value >= 3, 10_000, 'three notifications');
  const later = JSON.parse((await send(`${app.url}/api/alerts`)).body) as AlertsReport;
  assert.equal(later.history.length, 1);
  assert.equal(readFileSync(actionFile, 'utf8').trim().split('\n').length, 1);

  // vmalert counts deliveries that did not get 200 as errors.
  const metrics = (await send(`http://127.0.0.1:${vmalertPort}/metrics`)).body;
  const errors = /^vmalert_alerts_send_errors_total\{[^}]*\} (\d+)$/m.exec(metrics);
  assert.ok(errors, 'vmalert exports vmalert_alerts_send_errors_total');
  assert.equal(errors[1], '0', 'vmalert saw no failed deliveries');
});

function start(binary: string, args: string[]): void {
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-4000);
  });
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal === null) process.stderr.write(`${binary} exited with ${code}: ${stderr}\n`);
  });
  children.push(child);
}

async function waitForOk(url: string): Promise<void> {
  await waitFor(
    async () => {
      try {
        return (await send(url)).status === 200;
      } catch {
        return false;
      }
    },
    15_000,
    url,
  );
}

async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}
