/**
 * Hostile alert payloads against the receiver through the real app: each gets a quick 4xx that
 * names the problem, nothing is stored, the process survives, Object.prototype stays clean.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { MAX_ALERT_LENGTH } from '../../src/alerts/alert-limits.js';
import { type Alerting, createAlerting } from '../../src/alerts/alerting.js';
import type { AlertsReport } from '../../src/api/types.js';
import { silentLogger } from '../../src/log/logger.js';
import { type AppFixture, postAlerts, type Reply, send, serveRoutes } from './http-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'edgewatch-hostile-'));
const actionFile = join(dir, 'ran');
const maxActive = 200;
const maxMemoryBytes = 2 * 1024 ** 2;
let alerting: Alerting;
let app: AppFixture;

before(async () => {
  alerting = createAlerting(
    {
      maxPayloadBytes: 4 * 1024 ** 2,
      maxActive,
      maxMemoryBytes,
      historySize: 50,
      resolveTimeoutMs: 300_000,
      actionCommand: `touch '${actionFile}'`,
      actionTimeoutMs: 5000,
    },
    silentLogger,
  );
  app = await serveRoutes(alerting.routes);
});

after(async () => {
  await app.close();
  await alerting.stop();
  rmSync(dir, { recursive: true, force: true });
});

const errorOf = (reply: Reply) => JSON.parse(reply.body) as { error: string; message: string };
const report = async () => JSON.parse((await send(`${app.url}/api/alerts`)).body) as AlertsReport;

test('control characters in labels and annotations get 400 naming the field, nothing stored, no action', async () => {
  const cases: Array<[unknown, string]> = [
    [
      { labels: { alertname: 'Nul\u0000' } },
      'alerts[0].labels.alertname contains the control character U+0000',
    ],
    [
      { labels: { alertname: 'A', site: 'x\u001b[2J' } },
      'alerts[0].labels.site contains the control character U+001B',
    ],
    [
      { labels: { alertname: 'A', site: 'a\nb' } },
      'alerts[0].labels.site contains the control character U+000A',
    ],
    [
      { labels: { alertname: 'A' }, annotations: { summary: 'a\u0000b' } },
      'alerts[0].annotations.summary contains the control character U+0000',
    ],
    [
      { labels: { alertname: 'A', 'x\u0000': 'v' } },
      'alerts[0].labels.x\\u0000 name must match [a-zA-Z_][a-zA-Z0-9_]*',
    ],
  ];
  for (const [alert, message] of cases) {
    const reply = await postAlerts(app.url, [alert]);
    assert.equal(reply.status, 400, message);
    assert.deepEqual(errorOf(reply), { error: 'bad_payload', message });
  }
  await alerting.idle();
  assert.deepEqual((await report()).active, []);
  assert.equal(existsSync(actionFile), false, 'the action never ran');
  // Multi-line descriptions stay allowed in annotations.
  const multiLine = await postAlerts(app.url, [
    { labels: { alertname: 'Multi' }, annotations: { description: 'line 1\n\tline 2\r\n' } },
  ]);
  assert.equal(multiLine.status, 200);
  await alerting.idle();
  assert.equal(existsSync(actionFile), true, 'the action runs for a valid alert');
  await postAlerts(app.url, [{ labels: { alertname: 'Multi' }, endsAt: '2000-01-01T00:00:00Z' }]);
});

test('prototype keys as label or annotation names get 400; Object.prototype stays clean', async () => {
  for (const name of ['__proto__', 'constructor', 'prototype', '__name__']) {
    for (const body of [
      `[{"labels":{"alertname":"P","${name}":{"polluted":"yes"}}}]`,
      `[{"labels":{"alertname":"P","${name}":"x"}}]`,
      `[{"labels":{"alertname":"P"},"annotations":{"${name}":"x"}}]`,
    ]) {
      const reply = await postAlerts(app.url, body);
      assert.equal(reply.status, 400, body);
      assert.match(
        errorOf(reply).message,
        new RegExp(`\\.${name} (must be a string|name is reserved)$`),
        body,
      );
    }
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.deepEqual((await report()).active, []);
});

test('oversized alerts get 413 alert_too_large with the limit; deep and malformed JSON get 400', async () => {
  const big = await postAlerts(app.url, [{ labels: { alertname: 'Big', v: 'x'.repeat(1025) } }]);
  assert.equal(big.status, 413);
  assert.deepEqual(errorOf(big), {
    error: 'alert_too_large',
    message: 'alerts[0].labels.v is 1025 characters, more than 1024',
  });
  const annotations = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`a${i}`, 'y'.repeat(4000)]));
  const total = await postAlerts(app.url, [{ labels: { alertname: 'Big' }, annotations }]);
  assert.equal(total.status, 413);
  assert.match(errorOf(total).message, new RegExp(`more than ${MAX_ALERT_LENGTH}$`));

  const deep = await postAlerts(app.url, `${'['.repeat(500_000)}${']'.repeat(500_000)}`);
  assert.equal(deep.status, 400);
  assert.equal(errorOf(deep).message, 'alerts[0] must be an object');
  const deepObject = await postAlerts(
    app.url,
    `[{"labels":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}]`,
  );
  assert.equal(deepObject.status, 400);
  assert.equal(errorOf(deepObject).message, 'alerts[0].labels.a must be a string');
  assert.deepEqual((await report()).active, []);
});

test('the receiver wants application/json and refuses cross-site requests', async () => {
  const body = JSON.stringify([{ labels: { alertname: 'FromAPage' } }]);
  const url = `${app.url}/api/v2/alerts`;
  for (const type of [undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']) {
    const reply = await send(url, { method: 'POST', body, headers: type ? { 'content-type': type } : {} });
    assert.equal(reply.status, 415, String(type));
    assert.equal(errorOf(reply).error, 'unsupported_media_type');
  }
  const json = { 'content-type': 'application/json' };
  const crossSite: Array<Record<string, string>> = [
    { origin: 'http://evil.example' },
    { origin: 'null' },
    { origin: `http://localhost:${app.port}` },
    { 'sec-fetch-site': 'cross-site' },
    { 'sec-fetch-site': 'same-site' },
  ];
  for (const headers of crossSite) {
    const reply = await send(url, { method: 'POST', body, headers: { ...json, ...headers } });
    assert.equal(reply.status, 403, JSON.stringify(headers));
    assert.equal(errorOf(reply).error, 'cross_site');
  }
  assert.deepEqual((await report()).active, []);
  const same = await send(url, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      origin: app.url,
      'sec-fetch-site': 'same-origin',
    },
  });
  assert.equal(same.status, 200);
  await postAlerts(app.url, [{ labels: { alertname: 'FromAPage' }, endsAt: '2000-01-01T00:00:00Z' }]);
});

test('property: any JSON payload gets 200 or a 4xx with a message, and the server lives on', async () => {
  const key = fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'alertname', 'severity'));
  const value = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.integer(),
    fc.constant(null),
    fc.object(),
  );
  const alert = fc.record(
    { labels: fc.dictionary(key, value), annotations: fc.dictionary(key, value), endsAt: fc.string() },
    { requiredKeys: [] },
  );
  const payload = fc.oneof(
    fc.array(alert, { maxLength: 5 }),
    fc.jsonValue(),
    fc.string().map((s) => `[${s}`),
  );
  await fc.assert(
    fc.asyncProperty(payload, async (p) => {
      const reply = await postAlerts(app.url, typeof p === 'string' ? p : JSON.stringify(p));
      assert.ok(
        reply.status === 200 || (reply.status >= 400 && reply.status < 500),
        `status ${reply.status}`,
      );
      if (reply.status !== 200) assert.ok(errorOf(reply).message.length > 0);
    }),
    { numRuns: 300 },
  );
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal((await send(`${app.url}/api/alerts`)).status, 200);
});

test('heap stays bounded: the store filled to max-active with the largest alerts, then 90 notifications of 1 MiB alerts', async () => {
  const gc = collector();
  const heap = () => {
    gc();
    return process.memoryUsage().heapUsed;
  };
  await clear();
  const before = heap();
  // The store's ceiling: max-active alerts of the largest size allowed.
  for (let i = 0; i < maxActive; i++) {
    const annotations = Object.fromEntries(
      Array.from({ length: 3 }, (_, j) => [`a${j}`, `${i}`.padEnd(4000, 'z')]),
    );
    assert.equal(
      (await postAlerts(app.url, [{ labels: { alertname: `Fill${i}` }, annotations }])).status,
      200,
    );
  }
  await alerting.idle();
  const full = heap();
  const huge = 'x'.repeat(1024 ** 2);
  for (let i = 0; i < 90; i++) {
    const reply = await postAlerts(app.url, [
      { labels: { alertname: `Huge${i}` }, annotations: { summary: huge } },
    ]);
    assert.equal(reply.status, 413);
  }
  const flooded = heap();
  const mib = (n: number) => `${(n / 1024 ** 2).toFixed(1)} MiB`;
  process.stdout.write(
    `# heap: before ${mib(before)}, store full ${mib(full)}, after flood ${mib(flooded)}\n`,
  );
  // The store holds at most max-memory (the history holds the same objects); the flood adds nothing kept.
  assert.ok(full - before < maxMemoryBytes + 2 * 1024 ** 2, `store full: +${mib(full - before)}`);
  assert.ok(flooded - full < 8 * 1024 ** 2, `after the flood: +${mib(flooded - full)}`);
  await clear();
});

async function clear(): Promise<void> {
  const resolved = (await report()).active.map((a) => ({ labels: a.labels, endsAt: '2000-01-01T00:00:00Z' }));
  if (resolved.length > 0) assert.equal((await postAlerts(app.url, resolved)).status, 200);
  await alerting.idle();
}

function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
