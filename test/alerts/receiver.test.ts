import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { type Alerting, createAlerting } from '../../src/alerts/alerting.js';
import type { AlertsReport } from '../../src/api/types.js';
import { silentLogger } from '../../src/log/logger.js';
import { type AppFixture, postAlerts, type Reply, send, serveRoutes } from './http-fixture.js';

const maxPayloadBytes = 64 * 1024;
let clock = Date.parse('2024-05-01T10:00:00Z');
let alerting: Alerting;
let app: AppFixture;

before(async () => {
  alerting = createAlerting(
    {
      maxPayloadBytes,
      maxActive: 100,
      maxMemoryBytes: 4 * 1024 ** 2,
      historySize: 50,
      resolveTimeoutMs: 300_000,
      actionCommand: '',
      actionTimeoutMs: 1000,
    },
    silentLogger,
    () => clock,
  );
  app = await serveRoutes(alerting.routes);
});

after(async () => {
  await app.close();
  await alerting.stop();
});

const errorOf = (reply: Reply) => JSON.parse(reply.body) as { error: string; message: string };

test('accepts a notification with 200 and {} and lists it on GET /api/alerts', async () => {
  const reply = await postAlerts(app.url, [
    {
      labels: { alertname: 'HighTemperature', severity: 'critical', sensor: 'cpu' },
      annotations: { summary: 'CPU at 85 °C' },
      startsAt: '2024-05-01T09:59:00Z',
      endsAt: '2024-05-01T10:01:00Z',
      generatorURL: 'http://127.0.0.1:8880/vmalert/alert',
    },
  ]);
  assert.equal(reply.status, 200);
  assert.deepEqual(JSON.parse(reply.body), {});

  const listed = await send(`${app.url}/api/alerts`);
  assert.equal(listed.status, 200);
  const report = JSON.parse(listed.body) as AlertsReport;
  const fingerprint = report.active[0]?.fingerprint ?? '';
  assert.match(fingerprint, /^[0-9a-f]{16}$/);
  assert.deepEqual(report, {
    active: [
      {
        fingerprint,
        name: 'HighTemperature',
        severity: 'critical',
        state: 'firing',
        labels: { alertname: 'HighTemperature', severity: 'critical', sensor: 'cpu' },
        annotations: { summary: 'CPU at 85 °C' },
        startsAt: '2024-05-01T09:59:00.000Z',
        updatedAt: '2024-05-01T10:00:00.000Z',
      },
    ],
    history: [
      {
        time: '2024-05-01T10:00:00.000Z',
        fingerprint,
        name: 'HighTemperature',
        severity: 'critical',
        state: 'firing',
        labels: { alertname: 'HighTemperature', severity: 'critical', sensor: 'cpu' },
        annotations: { summary: 'CPU at 85 °C' },
      },
    ],
  });

  const metrics = alerting.collector.collect('', 'prometheus');
  assert.match(metrics, /^edgewatch_alerts_active\{severity="critical"\} 1$/m);
  assert.match(metrics, /^edgewatch_alerts_active\{severity="warning"\} 0$/m);
  assert.match(metrics, /^edgewatch_alerts_active\{severity="info"\} 0$/m);
  assert.match(metrics, /^edgewatch_alert_notifications_total 1$/m);
  assert.match(metrics, /^edgewatch_alert_action_runs_total\{result="timeout"\} 0$/m);
});

test('a listing resolves alerts whose endsAt passed without a re-send', async () => {
  clock = Date.parse('2024-05-01T10:01:00Z');
  // /metrics agrees before any listing or sweep has resolved it.
  assert.match(
    alerting.collector.collect('', 'prometheus'),
    /^edgewatch_alerts_active\{severity="critical"\} 0$/m,
  );
  const report = JSON.parse((await send(`${app.url}/api/alerts`)).body) as AlertsReport;
  assert.deepEqual(report.active, []);
  assert.deepEqual(
    report.history.map((h) => `${h.name}:${h.state}:${h.time}`),
    ['HighTemperature:resolved:2024-05-01T10:01:00.000Z', 'HighTemperature:firing:2024-05-01T10:00:00.000Z'],
  );
  assert.match(
    alerting.collector.collect('', 'prometheus'),
    /^edgewatch_alerts_active\{severity="critical"\} 0$/m,
  );
});

test('bad payloads get 400 bad_payload with the reason', async () => {
  const cases: Array<[string, string]> = [
    ['{"labels":{}}', 'body must be a JSON array of alerts'],
    ['[{"labels":{"alertname":"A"}}, 7]', 'alerts[1] must be an object'],
    [
      '[{"labels":{"alertname":"A"}},{"labels":{"alertname":"B"}},{"labels":{"severity":"x"}}]',
      'alerts[2].labels.alertname missing',
    ],
    ['[{"annotations":{}}]', 'alerts[0].labels missing'],
  ];
  for (const [body, message] of cases) {
    const reply = await postAlerts(app.url, body);
    assert.equal(reply.status, 400, body);
    assert.deepEqual(errorOf(reply), { error: 'bad_payload', message });
  }
  const notJson = await postAlerts(app.url, '[{"labels":');
  assert.equal(notJson.status, 400);
  assert.equal(errorOf(notJson).error, 'bad_payload');
  assert.match(errorOf(notJson).message, /^body is not valid JSON: /);
});

test('a declared Content-Length over the limit gets 413 before the body is sent', async () => {
  // Only the headers go out: the answer must come without the server waiting for the body.
  const reply = await new Promise<Reply>((resolve, reject) => {
    const req = request(`${app.url}/api/v2/alerts`, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', 'content-length': String(maxPayloadBytes + 1) },
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString();
      });
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', reject);
    req.flushHeaders();
  });
  assert.equal(reply.status, 413);
  assert.equal(errorOf(reply).error, 'payload_too_large');
});

test('a streamed (chunked) body over the limit gets 413', async () => {
  const reply = await new Promise<Reply>((resolve, reject) => {
    const req = request(`${app.url}/api/v2/alerts`, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json' },
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    const chunk = Buffer.alloc(16 * 1024, ' ');
    for (let i = 0; i < 5; i++) req.write(chunk);
    req.end('[]');
  });
  assert.equal(reply.status, 413);
  assert.equal(errorOf(reply).error, 'payload_too_large');
});

test('a body of exactly the limit is accepted', async () => {
  const body = `[${' '.repeat(maxPayloadBytes - 2)}]`;
  assert.equal((await postAlerts(app.url, body)).status, 200);
});

test('GET /api/v2/alerts is 405 with Allow: POST', async () => {
  const reply = await new Promise<{ status: number; allow: string | undefined }>((resolve, reject) => {
    request(`${app.url}/api/v2/alerts`, { agent: false }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, allow: res.headers.allow });
    })
      .on('error', reject)
      .end();
  });
  assert.deepEqual(reply, { status: 405, allow: 'POST' });
});
