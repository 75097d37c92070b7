/**
 * The rest of issue 11's field scenarios, in a real Chromium against one real `edgewatch up`
 * (no rule fires here, so every card starts OK), the page's text and layout read while it happens:
 *
 * - a sensor gone stale (the fake BME280's files turned to garbage while the simulated sensor
 *   reads on): its card says so and keeps its old values only as "last known", Now's verdict
 *   names it, the other card stays OK;
 * - a gap in the data (VictoriaMetrics stopped for longer than three steps, then resumed): the
 *   chart is given a null point in that window (the figure's `data-gaps`), not a straight line;
 * - the first phone screen with three alerts firing (posted to the receiver as another sender):
 *   the verdict and the first sensor card fit 390×844.
 */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import { GAP_FACTOR } from '../../dashboard/src/gaps.js';
import { chooseStep, ranges } from '../../dashboard/src/state.js';
import { chromiumPath, launchChromium } from '../helpers/chromium.js';
import { repoRoot } from '../helpers/edgewatch.js';
import type { StackUnderTest } from '../helpers/stack.js';
import { SysfsTree } from '../helpers/sysfs-tree.js';
import { harnessUnavailable, startDashboardStack } from './harness.js';

const artifacts = join(repoRoot, 'test-artifacts', 'dashboard');
const unavailable =
  harnessUnavailable() ?? (existsSync(chromiumPath) ? undefined : `${chromiumPath} is not installed`);

/** Page waits: a condition, with room for a machine shared with other test runs. */
const BOUND_MS = 30_000;

const text = async (page: Page, selector: string) => (await page.locator(selector).textContent()) ?? '';

describe('dashboard field scenarios against edgewatch up', { skip: unavailable, timeout: 240_000 }, () => {
  let stack: StackUnderTest;
  let browser: Browser;
  const sysfs = new SysfsTree();
  const bme280 = sysfs.bme280(0);

  before(async () => {
    const [s, b] = await Promise.allSettled([startDashboardStack({ sysfs, alert: false }), launchChromium()]);
    if (s.status === 'fulfilled') stack = s.value;
    if (b.status === 'fulfilled') browser = b.value;
    if (s.status === 'rejected') throw s.reason;
    if (b.status === 'rejected') throw b.reason;
  });

  after(async () => {
    await browser?.close();
    await (stack ? stack.cleanup() : sysfs.remove());
  });

  test('a sensor gone stale: its card is not OK, its values are last known, the verdict names it', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(`${stack.webUrl}/#/now?refresh=5s`);
      await page.waitForSelector('article.sensor.state-ok[data-sensor^="iio"]', { timeout: BOUND_MS });
      await page.waitForSelector('article.sensor.state-ok[data-sensor^="simulated"]', { timeout: BOUND_MS });
      // What a dying I2C chip gives: files that still exist but no longer hold a number.
      for (const file of ['in_temp_input', 'in_humidityrelative_input', 'in_pressure_raw'])
        writeFileSync(join(bme280, file), 'garbage\n');
      const card = page.locator('article.sensor[data-sensor^="iio"]');
      await page.waitForSelector('article.sensor[data-sensor^="iio"]:is(.state-failing, .state-stale)', {
        timeout: BOUND_MS,
      });
      assert.match((await card.locator('.badge').textContent()) ?? '', /^(Failing|Stale)$/);
      for (const dd of await card.locator('dd').allTextContents()) assert.match(dd, /\(last known\)$/);
      assert.match(await text(page, '.verdict'), /(Degraded|Failing).*shed bme280/s);
      const other = page.locator('article.sensor[data-sensor^="simulated"]');
      assert.match((await other.getAttribute('class')) ?? '', /\bstate-ok\b/);
      assert.equal(await other.locator('.badge').textContent(), 'OK');
      await page.screenshot({ path: join(artifacts, 'now-sensor-stale.png'), fullPage: true });
    } finally {
      sysfs.bme280(0);
      await context.close();
    }
  });

  test('a gap in the data: VictoriaMetrics stopped for more than three steps is drawn as a gap', async () => {
    const vm = (await stack.stack()).components.find((c) => c.name === 'victoriametrics');
    assert.ok(vm?.pid);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(`${stack.webUrl}/#/charts?range=15m&refresh=5s`);
      const temperature = '[data-chart="temperature"]';
      await page.waitForFunction(
        (sel) => Number(document.querySelector(sel)?.getAttribute('data-points')) > 0,
        temperature,
        { timeout: 45_000, polling: 250 },
      );
      assert.equal(await page.getAttribute(temperature, 'data-gaps'), '0', 'no gap before the outage');
      // Longer than GAP_FACTOR steps of the 15-minute range: the shortest outage the chart must show.
      const outageMs = (GAP_FACTOR + 1) * chooseStep(ranges['15m']) * 1000;
      process.kill(vm.pid, 'SIGSTOP');
      try {
        // The outage's length is the scenario itself, not a wait for something to happen.
        await setTimeout(outageMs);
      } finally {
        process.kill(vm.pid, 'SIGCONT');
      }
      await page.waitForFunction(
        (sel) => Number(document.querySelector(sel)?.getAttribute('data-gaps')) > 0,
        temperature,
        { timeout: 60_000, polling: 250 },
      );
      await page.screenshot({ path: join(artifacts, 'charts-gap.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });

  test('first phone screen with three alerts firing: the verdict and the first reading fit', async () => {
    const startsAt = new Date().toISOString();
    const endsAt = new Date(Date.now() + 600_000).toISOString();
    const alerts = ['DiskAlmostFull', 'UplinkDown', 'HumidityHigh'].map((alertname) => ({
      labels: { alertname, severity: 'warning', instance: 'field-test' },
      annotations: { summary: `${alertname} on this box`, description: `${alertname}: posted by the test` },
      startsAt,
      endsAt,
    }));
    const res = await fetch(`${stack.webUrl}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alerts),
    });
    assert.equal(res.status, 200, await res.text());
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    try {
      const page = await context.newPage();
      await page.goto(`${stack.webUrl}/#/now?refresh=5s`);
      await page.waitForSelector('body[data-loaded="now"][data-stale="false"]', { timeout: BOUND_MS });
      await page.waitForFunction(
        () =>
          ['DiskAlmostFull', 'UplinkDown', 'HumidityHigh'].every((n) =>
            (document.body.textContent ?? '').includes(n),
          ),
        undefined,
        { timeout: BOUND_MS, polling: 250 },
      );
      await page.waitForSelector('article.sensor dd', { timeout: BOUND_MS });
      await page.screenshot({ path: join(artifacts, 'now-three-alerts-phone.png') });
      const firstScreen = 844;
      for (const selector of ['.verdict', 'article.sensor >> nth=0']) {
        const box = await page.locator(selector).boundingBox();
        assert.ok(box, `${selector} is shown`);
        assert.ok(
          box.y + box.height <= firstScreen,
          `${selector} ends at ${box.y + box.height} px, below ${firstScreen}`,
        );
      }
    } finally {
      await context.close();
    }
  });
});
