/**
 * Never stale as current: the dashboard in a real Chromium against a real `edgewatch up`, with
 * the backend taken away in the three ways a site's flaky link and box do it, and the page's text
 * read while it happens:
 *
 * - edgewatch frozen (SIGSTOP, SIGCONT after): every view says within one refresh interval plus
 *   the grace that its data is not current and that edgewatch is not answering, keeps its last
 *   values, and never calls the failed refresh "Updated";
 * - VictoriaMetrics frozen (SIGSTOP of the child): Now says history and alerting are down while
 *   the readings stay live (and current); Charts keeps its lines, marked not current;
 * - the browser offline (context.setOffline): the values stay, the page says it is offline.
 *
 * The bound polled for is the refresh interval + GRACE_MS + a margin for a loaded machine: a
 * condition waited on, not a measured speed (bench/dashboard.ts measures how soon).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { GRACE_MS } from '../../dashboard/src/freshness.js';
import { chromiumPath, launchChromium } from '../helpers/chromium.js';
import { repoRoot } from '../helpers/edgewatch.js';
import type { StackUnderTest } from '../helpers/stack.js';
import { harnessUnavailable, startDashboardStack } from './harness.js';

const artifacts = join(repoRoot, 'test-artifacts', 'dashboard');
const unavailable =
  harnessUnavailable() ?? (existsSync(chromiumPath) ? undefined : `${chromiumPath} is not installed`);

const INTERVAL_MS = 5000;
/** One refresh interval, the grace, and room for a machine shared with other test runs. */
const BOUND_MS = INTERVAL_MS + GRACE_MS + 10_000;
const views = ['now', 'charts', 'alerts', 'stack'] as const;

async function open(context: BrowserContext, base: string, view: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${base}/#/${view}?range=15m&refresh=5s`);
  await page.waitForSelector(`body[data-loaded="${view}"][data-stale="false"]`, { timeout: 45_000 });
  return page;
}

/** Until the page's text (main and the banner) matches every pattern. */
async function waitForText(page: Page, patterns: readonly RegExp[], timeout = BOUND_MS): Promise<void> {
  await page.waitForFunction(
    (sources: string[]) => {
      const text = document.body.textContent ?? '';
      return sources.every((s) => new RegExp(s).test(text));
    },
    patterns.map((p) => p.source),
    { timeout, polling: 250 },
  );
}

/** A fresh VictoriaMetrics makes new series searchable after up to ~10 s; the page refreshes every 5 s. */
async function waitForDrawn(page: Page): Promise<void> {
  await page.waitForFunction(
    () => Number(document.querySelector('[data-chart="temperature"]')?.getAttribute('data-points')) > 0,
    undefined,
    { timeout: 45_000, polling: 250 },
  );
}

const text = async (page: Page, selector: string) => (await page.locator(selector).textContent()) ?? '';

describe('dashboard freshness against edgewatch up', { skip: unavailable, timeout: 240_000 }, () => {
  let stack: StackUnderTest;
  let browser: Browser;
  let context: BrowserContext;

  before(async () => {
    const [s, b] = await Promise.allSettled([startDashboardStack(), launchChromium()]);
    if (s.status === 'fulfilled') stack = s.value;
    if (b.status === 'fulfilled') browser = b.value;
    if (s.status === 'rejected') throw s.reason;
    if (b.status === 'rejected') throw b.reason;
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  });

  after(async () => {
    await browser?.close();
    await stack?.cleanup();
  });

  test('edgewatch frozen: every view says it is not current and why, and keeps its last values', async () => {
    const pid = (await stack.stack()).components.find((c) => c.name === 'edgewatch')?.pid;
    assert.ok(pid);
    const pages = new Map<string, Page>();
    for (const view of views) pages.set(view, await open(context, stack.webUrl, view));
    const now = pages.get('now') as Page;
    await waitForText(now, [/21\.5 °C/, /This box: /]);
    await waitForDrawn(pages.get('charts') as Page);
    process.kill(pid, 'SIGSTOP');
    try {
      for (const [view, page] of pages) {
        await waitForText(page, [/Not current: data from \d+ s ago: edgewatch not answering/]);
        assert.equal(await page.getAttribute('body', 'data-stale'), 'true', view);
        // Polled until the failed refresh has ended: it is never called an update.
        await page.waitForFunction(
          () => /Refresh failed/.test(document.getElementById('updated')?.textContent ?? ''),
          undefined,
          { timeout: BOUND_MS },
        );
        assert.doesNotMatch(await text(page, '#updated'), /^Updated/, view);
        assert.match(await page.title(), /⚠/, `${view}: the title says so too`);
      }
      // The last values stay, marked: the readings, the verdict no longer claims anything.
      assert.match(await text(now, 'main'), /21\.5 °C/);
      assert.match(await text(now, '.verdict'), /Unknown: not current/);
      // No age in the verdict: drawn once, it would fall behind the banner's, which counts on.
      assert.doesNotMatch(await text(now, '.verdict'), /\d+ s ago/);
      assert.equal(await now.locator('article.sensor').count(), 2);
      assert.ok(
        Number(
          await (pages.get('charts') as Page).getAttribute('[data-chart="temperature"]', 'data-points'),
        ) > 0,
      );
      assert.equal(await (pages.get('stack') as Page).locator('table tbody tr').count(), 3);
      await now.screenshot({ path: join(artifacts, 'now-edgewatch-frozen.png'), fullPage: true });
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    for (const page of pages.values()) {
      await page.waitForSelector('body[data-stale="false"]', { timeout: BOUND_MS });
      assert.match(await text(page, '#updated'), /^Updated/);
      await page.close();
    }
  });

  test('VictoriaMetrics frozen: Now says history and alerting are down, readings still live; Charts not current', async () => {
    const vm = (await stack.stack()).components.find((c) => c.name === 'victoriametrics');
    assert.ok(vm?.pid);
    const now = await open(context, stack.webUrl, 'now');
    const charts = await open(context, stack.webUrl, 'charts');
    await waitForText(now, [/Up for/]);
    await waitForDrawn(charts);
    process.kill(vm.pid, 'SIGSTOP');
    try {
      await waitForText(now, [
        /VictoriaMetrics down — history and alerting unavailable, readings still live/,
      ]);
      // The readings come from edgewatch itself: Now is current, and says it was updated.
      assert.equal(await now.getAttribute('body', 'data-stale'), 'false');
      assert.match(await text(now, '#updated'), /^Updated .*VictoriaMetrics down/);
      assert.match(await text(now, '.verdict'), /Degraded|Failing/);
      await now.screenshot({ path: join(artifacts, 'now-vm-frozen.png'), fullPage: true });
      await waitForText(charts, [/Not current: data from \d+ s ago: VictoriaMetrics not answering/]);
      assert.ok(
        Number(await charts.getAttribute('[data-chart="temperature"]', 'data-points')) > 0,
        'lines kept',
      );
      assert.match(await text(charts, '[data-chart="temperature"] figcaption'), /not current/);
      await charts.screenshot({ path: join(artifacts, 'charts-vm-frozen.png'), fullPage: true });
    } finally {
      try {
        process.kill(vm.pid, 'SIGCONT');
      } catch {
        // The supervisor replaced it meanwhile.
      }
    }
    await charts.waitForSelector('body[data-stale="false"]', { timeout: 60_000 });
    await now.close();
    await charts.close();
  });

  test('browser offline: the values stay, the page says it is offline', async () => {
    const offline = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    try {
      const page = await open(offline, stack.webUrl, 'now');
      await waitForText(page, [/21\.5 °C/]);
      await offline.setOffline(true);
      await waitForText(page, [/Not current: data from \d+ s ago: this browser is offline/]);
      assert.match(await text(page, 'main'), /21\.5 °C \(last known\)|21\.5 °C/);
      assert.equal(await page.locator('article.sensor').count(), 2, 'the cards stay');
      assert.doesNotMatch(await text(page, '#updated'), /^Updated/);
      await page.screenshot({ path: join(artifacts, 'now-offline-phone.png'), fullPage: true });
      await offline.setOffline(false);
      await page.waitForSelector('body[data-stale="false"]', { timeout: BOUND_MS });
    } finally {
      await offline.close();
    }
  });
});
