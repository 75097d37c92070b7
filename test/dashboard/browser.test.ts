/**
 * The dashboard in a real Chromium against a real running `edgewatch up` (harness.ts): the page,
 * the query proxy, /sensor, /api/alerts and /api/stack all come from the one edgewatch process,
 * the charts' data from its VictoriaMetrics, the alert from its vmalert. Every view loads without
 * console errors and without requests leaving the box; every chart draws points, the stack-only
 * ones (component memory against the budget) included; the SensorTemperatureHigh the stack fires
 * shows on top of Now and in Alerts; Stack lists the three components healthy; the page fits a
 * 390 px phone; and a real VictoriaMetrics outage (killed, and kept from restarting by holding its
 * storage lock) is said in the page, and the charts draw again once it is back.
 *
 * One case uses a fixed /api/stack document: crash-looping and over-budget components, which a
 * healthy stack does not reach within a test (five restarts take over 15 s of backoff; the
 * smallest budget edgewatch accepts is above what the stack uses).
 *
 * Screenshots go to test-artifacts/dashboard/<view>.png and <view>-phone.png.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { Health, StackComponentJson, StackReportJson } from '../../src/api/types.js';
import { sendJson } from '../../src/http/respond.js';
import { dashboardRoutes } from '../../src/http/static-assets.js';
import { chromiumPath, launchChromium } from '../helpers/chromium.js';
import { repoRoot } from '../helpers/edgewatch.js';
import { serveRoutes } from '../helpers/route-server.js';
import type { StackUnderTest } from '../helpers/stack.js';
import { sleep, waitFor } from '../helpers/wait.js';
import {
  dashboardDist,
  dashboardQueries,
  firedAlert,
  harnessUnavailable,
  sensorLocation,
  startDashboardStack,
  waitForActiveAlert,
} from './harness.js';

const artifacts = join(repoRoot, 'test-artifacts', 'dashboard');
const components = ['edgewatch', 'victoriametrics', 'vmalert'];

const unavailable =
  harnessUnavailable() ??
  (existsSync(chromiumPath) ? undefined : `${chromiumPath} is not installed`) ??
  (existsSync('/usr/bin/flock') ? undefined : '/usr/bin/flock (util-linux) is not installed') ??
  (existsSync(join(dashboardDist, 'index.html')) ? undefined : 'dist/dashboard is not built');

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

const clean: Watch = { consoleErrors: [], pageErrors: [], foreignRequests: [] };

/** Text content, not innerText: independent of layout. */
async function textOf(locator: Locator): Promise<string> {
  return (await locator.textContent()) ?? '';
}

async function openView(page: Page, base: string, hash: string, view: string): Promise<void> {
  await page.goto(`${base}/${hash}`);
  await page.waitForSelector(`body[data-loaded="${view}"]`, { timeout: 20_000 });
}

/** Until every chart in `ids` has drawn at least one point (the page refreshes itself). */
async function waitForCharts(page: Page, ids: readonly string[], timeout: number): Promise<void> {
  await page.waitForFunction(
    (list: string[]) =>
      list.every(
        (id) => Number(document.querySelector(`[data-chart="${id}"]`)?.getAttribute('data-points')) > 0,
      ),
    [...ids],
    { timeout, polling: 250 },
  );
}

function component(report: StackReportJson, name: string): StackComponentJson {
  const c = report.components.find((x) => x.name === name);
  assert.ok(c, `/api/stack lists ${name}`);
  return c;
}

/** An instant query straight to VictoriaMetrics, not through the proxy. */
async function vmInstant(vmUrl: string, expr: string): Promise<Array<{ metric: Record<string, string> }>> {
  const res = await fetch(`${vmUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
  return ((await res.json()) as { data: { result: Array<{ metric: Record<string, string> }> } }).data.result;
}

/**
 * Holds VictoriaMetrics' storage lock (<data>/flock.lock) with flock(1), as a second
 * VictoriaMetrics on the same directory would: every restart then exits at once with "cannot
 * acquire lock", and nothing listens on its port. `flock` waits for the lock, so started before
 * the kill it takes the lock the moment the killed process is gone, well inside the supervisor's
 * first 0.5 s backoff. Released by closing cat's stdin (no process left behind).
 */
function holdStorageLock(lockFile: string): { acquired: Promise<void>; release(): Promise<void> } {
  const child = spawn('flock', ['--close', lockFile, 'sh', '-c', 'echo locked; exec cat'], {
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const acquired = new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`flock exited (${code}) without taking ${lockFile}`)));
  });
  acquired.catch(() => {});
  return {
    acquired,
    async release() {
      child.stdin.end();
      await Promise.race([exited, sleep(3000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

describe('dashboard in Chromium against edgewatch up', { skip: unavailable, timeout: 150_000 }, () => {
  let stack: StackUnderTest;
  let base: string;
  let browser: Browser;
  let desktop: BrowserContext;
  let chartIds: string[];

  before(async () => {
    await mkdir(artifacts, { recursive: true });
    chartIds = [...new Set((await dashboardQueries()).map((q) => q.chart))];
    const launched = launchChromium();
    // Both start at once; whichever fails, the other is still cleaned up by after().
    const [s, b] = await Promise.allSettled([startDashboardStack(), launched]);
    if (s.status === 'fulfilled') stack = s.value;
    if (b.status === 'fulfilled') browser = b.value;
    if (s.status === 'rejected') throw s.reason;
    if (b.status === 'rejected') throw b.reason;
    base = stack.webUrl;
    desktop = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  });

  after(async () => {
    await browser?.close();
    await stack?.cleanup();
  });

  test('Stack: edgewatch, VictoriaMetrics and vmalert healthy, memory against the budget', async () => {
    // Component memory is sampled every second; VictoriaMetrics and vmalert start after edgewatch.
    const report = await waitFor(
      'every component healthy with a memory sample',
      async () => {
        const r = await stack.stack();
        return r.components.every((c) => c.health === 'healthy' && c.memory.pss_bytes > 0) ? r : undefined;
      },
      10_000,
      200,
    );
    assert.deepEqual(
      report.components.map((c) => c.name),
      components,
    );
    const page = await desktop.newPage();
    const w = watch(page, base);
    await openView(page, base, '#/stack', 'stack');
    const rows = page.locator('table tbody tr');
    assert.equal(await rows.count(), 3);
    for (const [i, name] of components.entries()) {
      const row = rows.nth(i);
      assert.equal(await textOf(row.locator('th')), name);
      const cells = await row.locator('td').allTextContents();
      assert.equal(cells[0], 'Healthy', `${name} is healthy`);
      assert.equal(cells[1], String(component(report, name).pid), `${name}'s pid`);
      assert.equal(cells[3], '0', `${name} has not restarted`);
      assert.match(cells[4] ?? '', /^\d+\.\d MB$/, `${name}'s PSS`);
    }
    const text = await textOf(page.locator('main'));
    // budget.memory's default, 300 MiB, in the decimal megabytes the page uses.
    assert.match(text, /\d+\.\d MB of 314\.6 MB \(PSS\)/);
    assert.doesNotMatch(text, /Over budget|Crash-looping/);
    const meter = page.locator('meter#budget-meter');
    assert.equal(await meter.getAttribute('max'), String(report.budget_bytes));
    const used = Number(await meter.getAttribute('value'));
    assert.ok(used > 20e6 && used < report.budget_bytes, `${used} B in use`);
    await page.screenshot({ path: join(artifacts, 'stack.png'), fullPage: true });
    assert.deepEqual(w, clean);
    await page.close();
  });

  test('Charts: every chart draws points from VictoriaMetrics, component memory against the budget too', async () => {
    const page = await desktop.newPage();
    const w = watch(page, base);
    await openView(page, base, '#/charts?range=15m&refresh=5s', 'charts');
    // A fresh VictoriaMetrics makes new series searchable after up to ~10 s; the page refreshes every 5 s.
    await waitForCharts(page, chartIds, 45_000);
    for (const id of chartIds) {
      const chart = page.locator(`[data-chart="${id}"]`);
      assert.equal(await chart.locator('canvas').count(), 1, `${id} has a uPlot canvas`);
      assert.doesNotMatch(await textOf(chart), /No data|unreachable/, id);
    }
    const latest = async (id: string) =>
      (await page.locator(`[data-chart="${id}"] .chart-body`).getAttribute('aria-label')) ?? '';
    // One name per sensor: the card's title on Now, then the quantity as the card labels it.
    const now = await desktop.newPage();
    await openView(now, base, '#/now', 'now');
    const bme = await textOf(now.locator('article.sensor[data-sensor="iio/iio:device0"] h3'));
    const sim = await textOf(now.locator('article.sensor[data-sensor="simulated/sim0"] h3'));
    await now.close();
    assert.equal(bme, `${sensorLocation} bme280`);
    assert.notEqual(sim, bme);
    // The fake BME280's fixed readings, through sysfs, edgewatch, VictoriaMetrics and the proxy.
    assert.match(await latest('temperature'), new RegExp(`${bme} Temperature: 21\\.5 °C`));
    assert.match(await latest('temperature'), new RegExp(`${sim} Temperature: -?\\d+\\.\\d °C`));
    assert.match(await latest('humidity'), new RegExp(`${bme} Humidity: 45\\.3 %`));
    assert.match(await latest('pressure'), new RegExp(`${bme} Pressure: 1013\\.3 hPa`));
    assert.deepEqual(
      (await page.locator('#sensor-filter option').allTextContents()).sort(),
      ['All sensors', bme, sim].sort(),
      'the filter names sensors as the cards do',
    );
    // The thresholds the box's rules use (harness: temperature-high -50, humidity-high default 0.9).
    assert.match(await latest('temperature'), /alert above: -50\.0 °C/);
    assert.match(await latest('temperature'), /alert below: 0\.0 °C/);
    assert.match(await latest('humidity'), /alert above: 90\.0 %/);
    assert.doesNotMatch(await latest('pressure'), /alert/);
    // min/avg/max over the range: the fixed 21.5 °C is all three.
    assert.match(
      await textOf(page.locator('[data-chart="temperature"] .chart-stats tr', { hasText: bme })),
      /21\.5 °C\s*21\.5 °C\s*21\.5 °C/,
    );
    // CSV of what the chart shows, built in the page.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-chart="pressure"] .chart-csv'),
    ]);
    const csv = await readFile((await download.path()) ?? assert.fail('no download'), 'utf8');
    const [header, ...rows] = csv.trim().split('\r\n');
    assert.equal(header, `time,${bme} Pressure`);
    assert.ok(rows.length > 0 && rows.every((r) => /^\d{4}-\d\d-\d\dT[\d:.]+Z,(1013\.25)?$/.test(r)), csv);
    // By keyboard: the chart takes focus, has a name, and the arrows move the cursor.
    const body = page.locator('[data-chart="temperature"] .chart-body');
    await body.focus();
    assert.equal(await body.evaluate((el) => el === document.activeElement), true);
    assert.match((await body.getAttribute('aria-label')) ?? '', /^Temperature\. Latest: /);
    const timeCell = page.locator('[data-chart="temperature"] .u-legend .u-series').first();
    assert.match(await textOf(timeCell), /–/);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    assert.match(await textOf(timeCell), /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    // One series per scraped job, as VictoriaMetrics has them.
    const jobs = (await vmInstant(stack.vmUrl, 'up')).map((r) => r.metric.job as string).sort();
    assert.deepEqual(jobs, ['edgewatch', 'victoriametrics', 'vmalert']);
    // The page's last refresh may predate a job's first searchable sample (VictoriaMetrics makes a
    // new series searchable up to ~10 s late, and scrapes itself and vmalert every 4th interval):
    // the next refreshes (every 5 s here) must bring every job.
    const listsEvery = (text: string) => jobs.every((job) => text.includes(`${job}: up`));
    const up = await waitFor(
      'Targets up to list every job',
      async () => {
        const text = await latest('up');
        return listsEvery(text) ? text : undefined;
      },
      30_000,
      250,
    ).catch(() => latest('up'));
    for (const job of jobs) assert.ok(up.includes(`${job}: up`), `Targets up shows ${job} up: ${up}`);
    // Stack-only: each component's PSS, their sum, and the budget line at budget.memory.
    const memory = await latest('memory');
    for (const c of components) assert.match(memory, new RegExp(`${c}: \\d+\\.\\d MB`), memory);
    assert.match(memory, /total: \d+\.\d MB/);
    assert.match(memory, /budget: 314\.6 MB/);
    assert.equal(
      await page.locator('[data-chart="memory"] .u-legend .u-series').count(),
      1 + components.length + 2,
      'x, three components, total and budget',
    );
    await page.screenshot({ path: join(artifacts, 'charts.png'), fullPage: true });
    assert.deepEqual(w, clean);
    await page.close();
  });

  test(`Now: both sensors' readings, the ${firedAlert} vmalert fired on top`, async () => {
    const alerts = await waitForActiveAlert(base, firedAlert, 40_000);
    const fired = alerts.active.filter((a) => a.name === firedAlert);
    assert.deepEqual(fired.map((a) => a.labels.device).sort(), ['iio:device0', 'sim0']);
    const page = await desktop.newPage();
    const w = watch(page, base);
    await openView(page, base, '#/now', 'now');
    const cards = page.locator('article.sensor');
    assert.equal(await cards.count(), 2, 'the fake BME280 and one simulated sensor');
    const items = page.locator('.now-alerts .alert-item', { hasText: firedAlert });
    assert.equal(await items.count(), 2, 'one alert per sensor');
    const text = await textOf(page.locator('main'));
    for (const expected of [
      '°C',
      'hPa',
      '%',
      sensorLocation,
      'bme280',
      'iio/iio:device0',
      'simulated/sim0',
      'ago',
      `Temperature high on iio:device0 at ${sensorLocation}`,
      `Temperature high on sim0 at ${sensorLocation}`,
    ]) {
      assert.ok(text.includes(expected), `Now view lacks "${expected}"`);
    }
    assert.match(text, /\d+ active alerts?/);
    const links = await page.locator('article.sensor a').allTextContents();
    assert.equal(new Set(links).size, links.length, `"Charts for" links are distinct: ${links}`);
    assert.match(text, /1013\.3 hPa/);
    assert.match(text, /21\.5 °C/);
    // On top: the alerts above the first sensor card, on the screen and in the document.
    const alertBox = await items.first().boundingBox();
    const cardBox = await cards.first().boundingBox();
    assert.ok(alertBox && cardBox && alertBox.y < cardBox.y, 'alerts are above the sensors');
    assert.ok(text.indexOf(firedAlert) < text.indexOf('bme280'), 'alerts come before sensors');
    await page.screenshot({ path: join(artifacts, 'now.png'), fullPage: true });
    assert.deepEqual(w, clean);
    await page.close();
  });

  test(`Alerts: the ${firedAlert} the stack fired, active and in the history`, async () => {
    const page = await desktop.newPage();
    const w = watch(page, base);
    await openView(page, base, '#/alerts', 'alerts');
    const active = page.locator('.alert-list .alert-item', { hasText: firedAlert });
    assert.equal(await active.count(), 2);
    assert.match(await textOf(active.first()), /warning/);
    assert.match(
      await textOf(active.first()),
      new RegExp(`Temperature high on (iio:device0|sim0) at ${sensorLocation}`),
    );
    const fired = page.locator('table tbody tr', { hasText: firedAlert });
    assert.ok((await fired.count()) >= 2, 'both firings are in the history');
    assert.match(await textOf(fired.first()), /Firing/);
    assert.doesNotMatch(await textOf(page.locator('main')), /No alerts/);
    await page.screenshot({ path: join(artifacts, 'alerts.png'), fullPage: true });
    assert.deepEqual(w, clean);
    await page.close();
  });

  test('Charts: selecting a sensor narrows the sensor series and lands in the URL', async () => {
    const page = await desktop.newPage();
    await openView(page, base, '#/charts?range=15m', 'charts');
    await page.selectOption('#sensor-filter', 'iio/iio:device0');
    await page.waitForFunction(() => location.hash.includes('sensor=iio%2Fiio%3Adevice0'));
    await page.waitForFunction(
      () =>
        !document.querySelector('[data-chart="temperature"] .u-legend')?.textContent?.includes('simulated'),
    );
    const legend = await textOf(page.locator('[data-chart="temperature"] .u-legend'));
    assert.match(legend, new RegExp(`${sensorLocation} bme280 Temperature`));
    await page.close();
  });

  test('Charts: dragging across a chart selects a custom range', async () => {
    const page = await desktop.newPage();
    await openView(page, base, '#/charts?range=15m', 'charts');
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
    // Reset zoom: back to the range the drag started from.
    await page.click('#reset-zoom');
    await page.waitForFunction(() => location.hash.includes('range=15m'));
    assert.equal(await page.locator('#range').inputValue(), '15m');
    assert.equal(await page.isVisible('#reset-zoom'), false);
    await page.close();
  });

  test('the pause button stops refreshing and is kept in the URL', async () => {
    const page = await desktop.newPage();
    await openView(page, base, '#/now?refresh=5s', 'now');
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
        const w = watch(page, base);
        await openView(page, base, `#/${view}?range=15m`, view);
        if (view === 'charts') await waitForCharts(page, chartIds, 10_000);
        if (view === 'now') assert.ok((await page.locator('.now-alerts .alert-item').count()) > 0);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 390, `${view}: page is ${width} px wide`);
        await page.screenshot({ path: join(artifacts, `${view}-phone.png`), fullPage: true });
        assert.deepEqual(w, clean);
        await page.close();
      }
    } finally {
      await phone.close();
    }
  });

  test('Stack: crash-looping and over-budget components (fixed /api/stack document)', async () => {
    const fixture = (name: string, pid: number, health: Health, pss: number): StackComponentJson => ({
      name,
      pid,
      health,
      uptime_seconds: 5400,
      restarts: health === 'starting' ? 5 : 0,
      crash_looping: health === 'starting',
      last_exit:
        health === 'starting'
          ? { at: new Date(Date.now() - 185_000).toISOString(), reason: 'killed by SIGKILL' }
          : null,
      budget_bytes: 60_000_000,
      memory: { rss_bytes: Math.round(pss * 1.3), pss_bytes: pss, anon_bytes: Math.round(pss * 0.8) },
    });
    const report: StackReportJson = {
      budget_bytes: 100_000_000,
      uplinks: [
        {
          endpoint: 'central.example:8427/api/v1/write',
          up: false,
          pending_bytes: 12_500_000,
          queue_max_bytes: 1_000_000_000,
          delivered_until: new Date(Date.now() - 600_000).toISOString(),
          last_error_status: 400,
          refused_blocks: 3,
          dropped_bytes: 0,
        },
      ],
      components: [
        fixture('edgewatch', 101, 'healthy', 42_000_000),
        fixture('victoriametrics', 102, 'healthy', 61_000_000),
        fixture('vmalert', 103, 'starting', 18_000_000),
      ],
    };
    const app = await serveRoutes([
      ...(await dashboardRoutes(dashboardDist)),
      {
        name: 'stack',
        method: 'GET',
        path: '/api/stack',
        handler: (_req, res) => sendJson(res, 200, report),
      },
    ]);
    const page = await desktop.newPage();
    const phoneContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const phone = await phoneContext.newPage();
    try {
      const w = watch(page, app.url);
      await openView(page, app.url, '#/stack', 'stack');
      const text = await textOf(page.locator('main'));
      for (const expected of ['Starting', 'Crash-looping', '121.0 MB of 100.0 MB', 'Over budget', 'over']) {
        assert.ok(text.includes(expected), `Stack view lacks "${expected}"`);
      }
      assert.equal(await page.locator('meter#budget-meter').getAttribute('value'), '121000000');
      // When and why vmalert restarted, relative and dated with the zone; nothing for the others.
      const vmalert = await textOf(page.locator('tbody tr', { hasText: 'vmalert' }));
      assert.match(vmalert, /restarted 3 min ago: killed by SIGKILL \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
      assert.doesNotMatch(await textOf(page.locator('tbody tr', { hasText: 'edgewatch' })), /restarted/);
      // The uplink: down, what waits against the cap, how far delivery reached, the refusal.
      const uplink = await textOf(page.locator('tbody tr', { hasText: 'central.example' }));
      for (const expected of ['Down', '12.5 MB (1 % of 1.00 GB)', '10 min ago', 'HTTP 400']) {
        assert.ok(uplink.includes(expected), `uplink row lacks "${expected}": ${uplink}`);
      }
      assert.deepEqual(w, clean);
      // On a phone, the table scrolled to its far end still shows each row's name.
      await phone.goto(`${app.url}/#/stack`);
      await phone.waitForSelector('body[data-loaded="stack"]');
      await phone
        .locator('.table-scroll')
        .first()
        .evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
      const name = await phone.locator('tbody th', { hasText: 'vmalert' }).boundingBox();
      assert.ok(name && name.x >= 0 && name.x + name.width <= 390, `name at ${JSON.stringify(name)}`);
    } finally {
      await phoneContext.close();
      await page.close();
      await app.close();
    }
  });

  // Last: it takes VictoriaMetrics away for a few seconds.
  test('VictoriaMetrics down for real: said in the page and in Stack; the charts draw again once it is back', async () => {
    const vm = component(await stack.stack(), 'victoriametrics');
    assert.ok(vm.pid !== null);
    const lock = holdStorageLock(join(stack.dir, 'victoria-metrics', 'flock.lock'));
    const charts = await desktop.newPage();
    const status = await desktop.newPage();
    try {
      process.kill(vm.pid, 'SIGKILL');
      await Promise.race([
        lock.acquired,
        sleep(5000).then(() => Promise.reject(new Error('flock did not get the storage lock'))),
      ]);
      const w = watch(charts, base);
      await openView(charts, base, '#/charts?range=15m&refresh=5s', 'charts');
      const notice = await textOf(charts.locator('.view-charts > div:not(.chart-controls):not(.chart-grid)'));
      assert.match(notice, /VictoriaMetrics unreachable/, 'said once, on top');
      for (const id of chartIds) {
        const chart = charts.locator(`[data-chart="${id}"]`);
        assert.equal(await chart.getAttribute('data-points'), '0', id);
        assert.match(await textOf(chart), /VictoriaMetrics unreachable/, id);
      }
      await charts.screenshot({ path: join(artifacts, 'charts-vm-down.png'), fullPage: true });
      // Now: the readings come from edgewatch itself and stay current; it says what is missing.
      await openView(status, base, '#/now', 'now');
      await status.waitForFunction(
        () =>
          /VictoriaMetrics down — history and alerting unavailable, readings still live/.test(
            document.body.textContent ?? '',
          ),
        undefined,
        { timeout: 20_000 },
      );
      assert.equal(await status.getAttribute('body', 'data-stale'), 'false', 'readings are current');
      assert.match(await textOf(status.locator('main')), /21\.5 °C/);
      assert.doesNotMatch(await textOf(status.locator('main')), /last known/);
      await status.screenshot({ path: join(artifacts, 'now-vm-down.png'), fullPage: true });

      // The supervisor has tried to restart it at least once; every try fails on the lock.
      await waitFor(
        'a failed restart',
        async () => component(await stack.stack(), 'victoriametrics').restarts > 0,
      );
      await openView(status, base, '#/stack', 'stack');
      const row = await status
        .locator('table tbody tr', { hasText: 'victoriametrics' })
        .locator('td')
        .allTextContents();
      assert.match(row[0] ?? '', /^(Unhealthy|Starting)/, 'victoriametrics is not healthy');
      assert.ok(Number(row[3]) >= 1, `restarts: ${row[3]}`);
      await status.screenshot({ path: join(artifacts, 'stack-vm-down.png'), fullPage: true });

      await lock.release();
      // The supervisor's next try (backoff 1 s, 2 s, …) succeeds; the open page recovers on its own.
      await waitForCharts(charts, chartIds, 30_000);
      assert.doesNotMatch(await textOf(charts.locator('main')), /unreachable/);
      assert.deepEqual(w.pageErrors, []);
      assert.deepEqual(w.foreignRequests, []);
      // The browser itself logs each 503 response; nothing else may reach the console.
      assert.deepEqual(
        w.consoleErrors.filter((e) => !e.includes('503')),
        [],
      );
      const back = component(await stack.stack(), 'victoriametrics');
      assert.equal(back.health, 'healthy');
      assert.notEqual(back.pid, vm.pid);
    } finally {
      await lock.release();
      await charts.close();
      await status.close();
    }
  });
});
