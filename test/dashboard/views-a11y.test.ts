/**
 * Every view, on a desktop and a 390 px phone, in the light and the dark colour scheme, against a
 * real `edgewatch up`: axe-core run in the page finds no serious or critical violation (contrast
 * included, so the dark scheme is checked as much as the light one), nothing reaches the console,
 * the page is no wider than the screen, and a screenshot of each goes to
 * test-artifacts/dashboard/<view>-<scheme>[-phone].png. Also: a refresh keeps keyboard focus on
 * Now (cards are updated in place), and the title names the view and the firing alerts.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { chromiumPath, launchChromium } from '../helpers/chromium.js';
import { repoRoot } from '../helpers/edgewatch.js';
import type { StackUnderTest } from '../helpers/stack.js';
import { firedAlert, harnessUnavailable, startDashboardStack, waitForActiveAlert } from './harness.js';

const artifacts = join(repoRoot, 'test-artifacts', 'dashboard');
/** Evaluated over the DevTools protocol: a script tag would be refused by the page's CSP (default-src 'self'). */
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const unavailable =
  harnessUnavailable() ?? (existsSync(chromiumPath) ? undefined : `${chromiumPath} is not installed`);
const views = ['now', 'charts', 'alerts', 'stack'] as const;

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: Violation[] }> } }).axe;
    return (await axe.run()).violations;
  });
  return found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('every view: accessibility, both colour schemes, phone and desktop', {
  skip: unavailable,
  timeout: 240_000,
}, () => {
  let stack: StackUnderTest;
  let browser: Browser;

  before(async () => {
    await mkdir(artifacts, { recursive: true });
    const [s, b] = await Promise.allSettled([startDashboardStack(), launchChromium()]);
    if (s.status === 'fulfilled') stack = s.value;
    if (b.status === 'fulfilled') browser = b.value;
    if (s.status === 'rejected') throw s.reason;
    if (b.status === 'rejected') throw b.reason;
    await waitForActiveAlert(stack.webUrl, firedAlert, 40_000);
  });

  after(async () => {
    await browser?.close();
    await stack?.cleanup();
  });

  for (const scheme of ['light', 'dark'] as const) {
    for (const phone of [false, true]) {
      test(`${scheme}${phone ? ', 390 px phone' : ', desktop'}: no serious axe violation, no console error`, async () => {
        const context = await browser.newContext({
          colorScheme: scheme,
          viewport: phone ? { width: 390, height: 844 } : { width: 1280, height: 900 },
          isMobile: phone,
          hasTouch: phone,
        });
        try {
          for (const view of views) {
            const page = await context.newPage();
            const errors: string[] = [];
            page.on('console', (m) => {
              if (m.type() === 'error') errors.push(m.text());
            });
            page.on('pageerror', (e) => errors.push(e.message));
            await page.goto(`${stack.webUrl}/#/${view}?range=15m&refresh=5s`);
            await page.waitForSelector(`body[data-loaded="${view}"][data-stale="false"]`, {
              timeout: 45_000,
            });
            if (view === 'charts') {
              await page.waitForFunction(
                () =>
                  Number(document.querySelector('[data-chart="temperature"]')?.getAttribute('data-points')) >
                  0,
                undefined,
                { timeout: 45_000, polling: 250 },
              );
            }
            assert.deepEqual(await axeViolations(page), [], `${view} (${scheme}${phone ? ', phone' : ''})`);
            const width = await page.evaluate(() => document.documentElement.scrollWidth);
            if (phone) assert.ok(width <= 390, `${view}: page is ${width} px wide`);
            await page.screenshot({
              path: join(artifacts, `${view}-${scheme}${phone ? '-phone' : ''}.png`),
              fullPage: true,
            });
            assert.deepEqual(errors, [], view);
            await page.close();
          }
        } finally {
          await context.close();
        }
      });
    }
  }

  test('Now: a refresh keeps keyboard focus; the title names the view and the firing alerts', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(`${stack.webUrl}/#/now?refresh=5s`);
      await page.waitForSelector('body[data-loaded="now"]');
      await page.waitForFunction(() => /firing/.test(document.title));
      assert.match(await page.title(), /^\(\d+ firing\) Now · edgewatch$/);
      await page.focus('article.sensor a');
      const focused = await page.evaluate(() => document.activeElement?.textContent);
      // Two refreshes later the same link still has focus.
      const stamp = await page.textContent('#updated');
      await page.waitForFunction((s) => document.getElementById('updated')?.textContent !== s, stamp, {
        timeout: 20_000,
      });
      const again = await page.textContent('#updated');
      await page.waitForFunction((s) => document.getElementById('updated')?.textContent !== s, again, {
        timeout: 20_000,
      });
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), focused);
      assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'A');
    } finally {
      await context.close();
    }
  });
});
