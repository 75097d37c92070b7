/**
 * The dashboard in a real Chromium against real data: `edgewatch sensor` scraped by a real
 * VictoriaMetrics, served through dashboardRoutes and the query proxy. Every view loads without
 * console errors and without requests leaving the box, the charts draw points, the page fits a
 * 390 px phone, and a VictoriaMetrics outage shows as a message in the page.
 *
 * /api/alerts and /api/stack belong to `edgewatch up`; here they answer fixed documents typed with the
 * server's own types. Screenshots go to test-artifacts/dashboard/<view>.png.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import type { AlertsReport } from '../../src/alerts/alert-json.js';
import { createQueryProxy } from '../../src/http/query-proxy.js';
import { sendJson } from '../../src/http/respond.js';
import type { Route } from '../../src/http/router.js';
import { dashboardRoutes } from '../../src/http/static-assets.js';
import type { StackComponentJson, StackReportJson } from '../../src/stack/stack-api.js';
import type { Health } from '../../src/stack/supervisor.js';
import { repoRoot } from '../helpers/edgewatch.js';
import { freePort } from '../helpers/net.js';
import { type RouteServer, serveRoutes } from '../helpers/route-server.js';
import {
  dashboardDist,
  dashboardQueries,
  harnessUnavailable,
  type SensorHarness,
  startSensorHarness,
} from './harness.js';

const chromiumPath = '/usr/bin/chromium';
const artifacts = join(repoRoot, 'test-artifacts', 'dashboard');
const proxyLimits = { maxRangeMs: 31 * 86_400_000, maxPoints: 11_000, timeoutMs: 10_000 };

const unavailable =
  harnessUnavailable() ??
  (existsSync(chromiumPath) ? undefined : `${chromiumPath} is not installed`) ??
  (existsSync(join(dashboardDist, 'index.html')) ? undefined : 'dist/dashboard is not built');

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

function alertsFixture(): AlertsReport {
  const labels = { alertname: 'SensorStale', severity: 'warning', device: 'sim0', location: 'shed' };
  const annotations = { summary: 'sim0 has not been read for 2 minutes' };
  return {
    active: [
      {
        fingerprint: 'f1',
        name: 'SensorStale',
        severity: 'warning',
        state: 'firing',
        labels,
        annotations,
        startsAt: minutesAgo(3),
        updatedAt: minutesAgo(0),
      },
    ],
    history: [
      {
        time: minutesAgo(3),
        fingerprint: 'f1',
        name: 'SensorStale',
        severity: 'warning',
        state: 'firing',
        labels,
        annotations,
      },
      {
        time: minutesAgo(40),
        fingerprint: 'f2',
        name: 'DiskAlmostFull',
        severity: 'critical',
        state: 'resolved',
        labels: { alertname: 'DiskAlmostFull', severity: 'critical', mountpoint: '/' },
        annotations: { summary: 'less than 5 % free on /' },
      },
    ],
  };
}

function stackFixture(): StackReportJson {
  const component = (name: string, pid: number, health: Health, pss: number): StackComponentJson => ({
    name,
    pid,
    health,
    uptime_seconds: 5400,
    restarts: health === 'starting' ? 5 : 0,
    crash_looping: health === 'starting',
    budget_bytes: 60_000_000,
    memory: { rss_bytes: Math.round(pss * 1.3), pss_bytes: pss, anon_bytes: Math.round(pss * 0.8) },
  });
  return {
    budget_bytes: 300_000_000,
    components: [
      component('edgewatch', 101, 'healthy', 42_000_000),
      component('victoriametrics', 102, 'healthy', 61_000_000),
      component('vmalert', 103, 'starting', 18_000_000),
    ],
  };
}

/** The routes `edgewatch up` will serve, assembled from the sensor-only pieces. */
async function dashboardApp(harness: SensorHarness, upstream: string): Promise<RouteServer> {
  const json = (name: string, path: string, body: () => unknown): Route => ({
    name,
    method: 'GET',
    path,
    handler: (_req, res) => sendJson(res, 200, body()),
  });
  const sensorRelay: Route = {
    name: 'sensor',
    method: 'GET',
    path: '/sensor',
    handler: async (_req, res) =>
      sendJson(res, 200, await (await fetch(`${harness.sensorUrl}/sensor`)).json()),
  };
  return serveRoutes([
    ...(await dashboardRoutes(dashboardDist)),
    ...createQueryProxy({ upstream, ...proxyLimits }),
    sensorRelay,
    json('alerts', '/api/alerts', alertsFixture),
    json('stack', '/api/stack', stackFixture),
  ]);
}

interface Watch {
  consoleErrors: string[];
  pageErrors: string[];
  foreignRequests: string[];
}

function watch(page: Page, base: string): Watch {
  const w: Watch = { consoleErrors: [], pageErrors: [], foreignRequests: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error') w.consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => w.pageErrors.push(err.message));
  page.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith(base) && !url.startsWith('data:')) w.foreignRequests.push(url);
  });
  return w;
}

/** Text content, not innerText: independent of layout. */
async function textOf(locator: Locator): Promise<string> {
  return (await locator.textContent()) ?? '';
}

async function openView(page: Page, base: string, hash: string, view: string): Promise<void> {
  await page.goto(`${base}/${hash}`);
  await page.waitForSelector(`body[data-loaded="${view}"]`, { timeout: 20_000 });
}

describe('dashboard in Chromium', { skip: unavailable }, () => {
  let harness: SensorHarness;
  let app: RouteServer;
  let browser: Browser;
  let desktop: BrowserContext;
  let drawnCharts: string[];

  before(async () => {
    await mkdir(artifacts, { recursive: true });
    harness = await startSensorHarness();
    app = await dashboardApp(harness, harness.vm.url);
    drawnCharts = [
      ...new Set((await dashboardQueries()).filter((q) => q.needs !== 'stack').map((q) => q.chart)),
    ];
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    });
    desktop = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    await harness?.stop();
  });

  test('Now: every sensor with unit, location and age; the active alert on top', async () => {
    const page = await desktop.newPage();
    const w = watch(page, app.url);
    await openView(page, app.url, '#/now', 'now');
    const cards = page.locator('article.sensor');
    assert.equal(await cards.count(), 2, 'the fake BME280 and one simulated sensor');
    const text = await textOf(page.locator('main'));
    for (const expected of ['°C', 'hPa', '%', 'shed', 'bme280', 'iio/iio:device0', 'ago', 'SensorStale']) {
      assert.ok(text.includes(expected), `Now view lacks "${expected}"`);
    }
    assert.ok(text.indexOf('SensorStale') < text.indexOf('bme280'), 'alerts come before sensors');
    assert.match(text, /1013\.3 hPa/);
    await page.screenshot({ path: join(artifacts, 'now.png'), fullPage: true });
    assert.deepEqual(w, { consoleErrors: [], pageErrors: [], foreignRequests: [] });
    await page.close();
  });

  test('Charts: every chart with sensor-service data draws points', async () => {
    const page = await desktop.newPage();
    const w = watch(page, app.url);
    await openView(page, app.url, '#/charts?range=15m&refresh=5s', 'charts');
    await page.waitForFunction(
      (ids: string[]) =>
        ids.every(
          (id) => Number(document.querySelector(`[data-chart="${id}"]`)?.getAttribute('data-points')) > 0,
        ),
      drawnCharts,
      { timeout: 60_000, polling: 500 },
    );
    for (const id of drawnCharts) {
      const chart = page.locator(`[data-chart="${id}"]`);
      assert.equal(await chart.locator('canvas').count(), 1, `${id} has a uPlot canvas`);
    }
    const legend = await textOf(page.locator('[data-chart="temperature"] .u-legend'));
    assert.match(legend, /shed iio:device0 temp/);
    const humidity = await page.locator('[data-chart="humidity"] .chart-body').getAttribute('aria-label');
    assert.match(humidity ?? '', /45\.1 %/, 'humidity is shown in percent');
    const memory = await textOf(page.locator('[data-chart="memory"]'));
    assert.match(memory, /No data/, 'component memory exists only under edgewatch up');
    await page.screenshot({ path: join(artifacts, 'charts.png'), fullPage: true });
    assert.deepEqual(w, { consoleErrors: [], pageErrors: [], foreignRequests: [] });
    await page.close();
  });

  test('Charts: selecting a sensor narrows the sensor series and lands in the URL', async () => {
    const page = await desktop.newPage();
    await openView(page, app.url, '#/charts?range=15m', 'charts');
    await page.selectOption('#sensor-filter', 'iio/iio:device0');
    await page.waitForFunction(() => location.hash.includes('sensor=iio%2Fiio%3Adevice0'));
    await page.waitForFunction(
      () => !document.querySelector('[data-chart="temperature"] .u-legend')?.textContent?.includes('sim0'),
    );
    const legend = await textOf(page.locator('[data-chart="temperature"] .u-legend'));
    assert.match(legend, /iio:device0/);
    await page.close();
  });

  test('Charts: dragging across a chart selects a custom range', async () => {
    const page = await desktop.newPage();
    await openView(page, app.url, '#/charts?range=15m', 'charts');
    const over = page.locator('[data-chart="temperature"] .u-over');
    const box = await over.boundingBox();
    assert.ok(box);
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction(() => location.hash.includes('range=custom'));
    const params = new URLSearchParams((await page.evaluate(() => location.hash)).split('?')[1]);
    assert.ok(Number(params.get('to')) > Number(params.get('from')));
    assert.equal(await page.locator('#range').inputValue(), 'custom');
    await page.close();
  });

  test('Alerts: active alerts and history', async () => {
    const page = await desktop.newPage();
    const w = watch(page, app.url);
    await openView(page, app.url, '#/alerts', 'alerts');
    const text = await textOf(page.locator('main'));
    for (const expected of [
      'SensorStale',
      'sim0 has not been read for 2 minutes',
      'DiskAlmostFull',
      'Resolved',
    ]) {
      assert.ok(text.includes(expected), `Alerts view lacks "${expected}"`);
    }
    assert.equal(await page.locator('table tbody tr').count(), 2);
    await page.screenshot({ path: join(artifacts, 'alerts.png'), fullPage: true });
    assert.deepEqual(w, { consoleErrors: [], pageErrors: [], foreignRequests: [] });
    await page.close();
  });

  test('Stack: components, health and memory against the budget', async () => {
    const page = await desktop.newPage();
    const w = watch(page, app.url);
    await openView(page, app.url, '#/stack', 'stack');
    assert.equal(await page.locator('table tbody tr').count(), 3);
    const text = await textOf(page.locator('main'));
    for (const expected of [
      'victoriametrics',
      'Healthy',
      'Starting',
      'Crash-looping',
      '121.0 MB of 300.0 MB',
      'over',
    ]) {
      assert.ok(text.includes(expected), `Stack view lacks "${expected}"`);
    }
    assert.equal(await page.locator('meter#budget-meter').getAttribute('value'), '121000000');
    await page.screenshot({ path: join(artifacts, 'stack.png'), fullPage: true });
    assert.deepEqual(w, { consoleErrors: [], pageErrors: [], foreignRequests: [] });
    await page.close();
  });

  test('the pause button stops refreshing and is kept in the URL', async () => {
    const page = await desktop.newPage();
    await openView(page, app.url, '#/now?refresh=5s', 'now');
    await page.click('#pause');
    await page.waitForFunction(() => location.hash.includes('paused=1'));
    assert.equal(await page.getAttribute('#pause', 'aria-pressed'), 'true');
    assert.equal(await textOf(page.locator('#pause')), 'Resume');
    await page.close();
  });

  test('fits a 390 px phone screen', async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    try {
      for (const view of ['now', 'charts', 'alerts', 'stack']) {
        const page = await phone.newPage();
        const w = watch(page, app.url);
        await openView(page, app.url, `#/${view}?range=15m`, view);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 390, `${view}: page is ${width} px wide`);
        await page.screenshot({ path: join(artifacts, `${view}-phone.png`), fullPage: true });
        assert.deepEqual(w.pageErrors, []);
        assert.deepEqual(w.consoleErrors, []);
        await page.close();
      }
    } finally {
      await phone.close();
    }
  });

  test('VictoriaMetrics unreachable: said in the page, no script errors', async () => {
    const down = await dashboardApp(harness, `http://127.0.0.1:${await freePort()}`);
    const page = await desktop.newPage();
    try {
      const w = watch(page, down.url);
      await openView(page, down.url, '#/charts', 'charts');
      const text = await textOf(page.locator('main'));
      assert.match(text, /VictoriaMetrics unreachable/);
      assert.deepEqual(w.pageErrors, []);
      // The browser itself logs each 503 response; nothing else may reach the console.
      assert.deepEqual(
        w.consoleErrors.filter((e) => !e.includes('503')),
        [],
      );
      await page.screenshot({ path: join(artifacts, 'charts-vm-down.png'), fullPage: true });
    } finally {
      await page.close();
      await down.close();
    }
  });
});
