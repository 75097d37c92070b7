/**
 * A web page in a real headless Chromium, served by a second loopback server (another origin),
 * tries every way a page can send a POST without reading the answer to edgewatch's alert
 * receiver: an auto-submitted text/plain form whose body is valid JSON, a no-cors fetch, a CORS
 * fetch with application/json (which needs a preflight edgewatch never answers) and
 * sendBeacon. The requests must reach the receiver (so the test can fail), and no alert may be
 * stored nor any action run. Once from a same-site origin (another port of 127.0.0.1) and once
 * cross-site (`localhost`).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { type Alerting, createAlerting } from '../../src/alerts/alerting.js';
import { buildApp } from '../../src/http/app.js';
import { ServiceCollector } from '../../src/http/service-collector.js';
import { silentLogger } from '../../src/log/logger.js';
import { chromiumPath, launchChromium } from '../helpers/chromium.js';
import { waitFor } from '../helpers/wait.js';

const BODY = JSON.stringify([{ labels: { alertname: 'FromAWebPage', severity: 'critical' } }]);

/** The attacker's page: four attempts at POST `target`, then `done` in the title. */
function attackPage(target: string): string {
  // A text/plain form sends `name=value`: split the JSON at an `=` inside a string.
  const eq = BODY.indexOf('critical');
  const name = `${BODY.slice(0, eq)}x`;
  const value = BODY.slice(eq);
  return `<!doctype html><html><body>
<iframe name="sink"></iframe>
<form id="f" method="POST" enctype="text/plain" target="sink" action="${target}">
<input name='${name}' value='${value}'></form>
<script>
(async () => {
  document.getElementById('f').submit();
  const body = ${JSON.stringify(BODY)};
  await fetch(${JSON.stringify(target)}, { method: 'POST', mode: 'no-cors', body,
    headers: { 'Content-Type': 'application/json' } }).catch(() => {});
  await fetch(${JSON.stringify(target)}, { method: 'POST', mode: 'cors', body,
    headers: { 'Content-Type': 'application/json' } }).catch(() => {});
  navigator.sendBeacon(${JSON.stringify(target)}, body);
  document.title = 'done';
})();
</script></body></html>`;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

describe('cross-origin pages against the alert receiver, in Chromium', {
  skip: !existsSync(chromiumPath) && `${chromiumPath} is not installed`,
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'edgewatch-xorigin-'));
  const actionFile = join(dir, 'ran');
  let alerting: Alerting;
  let edgewatch: Server;
  let attacker: Server;
  let edgewatchPort: number;
  let attackerPort: number;
  let browser: Browser;
  /** Every request that reached edgewatch: method and the status it got. */
  const seen: Array<{ method: string; status: number }> = [];

  before(async () => {
    alerting = createAlerting(
      {
        maxPayloadBytes: 1024 ** 2,
        maxActive: 100,
        maxMemoryBytes: 1024 ** 2,
        historySize: 10,
        resolveTimeoutMs: 300_000,
        actionCommand: `touch '${actionFile}'`,
        actionTimeoutMs: 5000,
      },
      silentLogger,
    );
    const handler = buildApp({
      routes: alerting.routes,
      metrics: new ServiceCollector(() => 0),
      log: silentLogger,
    });
    edgewatch = createServer((req, res) => {
      res.once('finish', () => seen.push({ method: req.method ?? '', status: res.statusCode }));
      handler(req, res);
    });
    edgewatchPort = await listen(edgewatch);
    attacker = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(attackPage(`http://127.0.0.1:${edgewatchPort}/api/v2/alerts`));
    });
    attackerPort = await listen(attacker);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    for (const server of [edgewatch, attacker]) {
      server?.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve));
    }
    await alerting?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const host of ['127.0.0.1', 'localhost']) {
    it(`stores nothing posted by a page on http://${host}:<another port>`, async () => {
      const posts = () => seen.filter((r) => r.method === 'POST').length;
      const before = posts();
      const page = await browser.newPage();
      try {
        await page.goto(`http://${host}:${attackerPort}/`);
        await page.waitForFunction(() => document.title === 'done');
        // The form, the no-cors fetch and the beacon each arrive as a POST (the CORS fetch stops
        // at its preflight); waiting for them is what makes "nothing stored" mean something.
        await waitFor('three POSTs from the page', () => posts() - before >= 3, 10_000);
      } finally {
        await page.close();
      }
      const refused = seen.filter((r) => r.method === 'POST').slice(before);
      assert.ok(
        refused.every((r) => r.status === 403 || r.status === 415),
        JSON.stringify(refused),
      );
      assert.deepEqual(alerting.store.active(), []);
      assert.deepEqual(alerting.store.history(), []);
      await alerting.idle();
      assert.equal(existsSync(actionFile), false, 'no action ran');
    });
  }
});
