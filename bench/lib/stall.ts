/** How soon an open dashboard says its data is not current once the backend freezes. */
import type { Browser } from 'playwright-core';

/**
 * ms from SIGSTOP of `pid` to the page at `hash` (default 15 s refresh) marking itself stale,
 * measured in the page's clock-free terms: Date.now() here before the signal and when the
 * selector appears. SIGCONT after, and until the page is current again.
 */
export async function timeToStale(
  browser: Browser,
  base: string,
  hash: string,
  pid: number,
): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(`${base}/${hash}`);
    await page.waitForSelector('body[data-stale="false"]', { timeout: 60_000 });
    // Right after a refresh, as a user would see it at the worst moment: a whole interval to go.
    const stamp = await page.textContent('#updated');
    await page.waitForFunction((s) => document.getElementById('updated')?.textContent !== s, stamp, {
      timeout: 60_000,
    });
    const start = Date.now();
    process.kill(pid, 'SIGSTOP');
    try {
      await page.waitForSelector('body[data-stale="true"]', { timeout: 120_000 });
      return Date.now() - start;
    } finally {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // The supervisor replaced a frozen VictoriaMetrics meanwhile.
      }
      await page.waitForSelector('body[data-stale="false"]', { timeout: 120_000 });
    }
  } finally {
    await context.close();
  }
}
