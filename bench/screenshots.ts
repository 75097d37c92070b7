/**
 * Screenshots of the dashboard in the situations issue 11 is about, for a before/after note:
 * Now and Charts as usual, Now on a 390 px phone, Now with edgewatch frozen (SIGSTOP) for 40 s,
 * and Now and Charts with VictoriaMetrics frozen for 20 s. Runs the `bin/edgewatch up` of any
 * built checkout (`--root`, default this one) on loopback with the dashboard tests' stack (a
 * fake BME280 and a simulated sensor, an alert firing), so an older build can be shot the same
 * way. Not part of the test suite: it takes about two minutes and asserts nothing.
 *
 *   node dist/bench/screenshots.js --out=docs/screenshots/after
 *   node dist/bench/screenshots.js --root=/tmp/dash-before --out=docs/screenshots/before
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { StackReportJson } from '../src/api/types.js';
import { dashboardStackFlags } from '../test/dashboard/harness.js';
import { launchChromium } from '../test/helpers/chromium.js';
import { repoRoot } from '../test/helpers/edgewatch.js';
import { stackArgs } from '../test/helpers/stack.js';
import { SysfsTree } from '../test/helpers/sysfs-tree.js';
import { sleep, waitFor } from '../test/helpers/wait.js';

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k as string, v ?? 'true'];
  }),
);
const root = resolve(args.get('root') ?? repoRoot);
const out = resolve(args.get('out') ?? join(repoRoot, 'docs', 'screenshots', 'after'));

async function stackReport(webUrl: string): Promise<StackReportJson | undefined> {
  try {
    const res = await fetch(`${webUrl}/api/stack`);
    return res.ok ? ((await res.json()) as StackReportJson) : undefined;
  } catch {
    return undefined;
  }
}

/** Opens `view` and gives it time to draw (older builds have no data-loaded to wait for). */
async function open(context: BrowserContext, webUrl: string, view: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${webUrl}/#/${view}?range=15m&refresh=5s`);
  await page
    .waitForFunction(
      (v) =>
        document.body.dataset.loaded === v &&
        (v !== 'charts' ||
          Number(document.querySelector('[data-chart="temperature"]')?.getAttribute('data-points')) > 0),
      view,
      { timeout: 30_000, polling: 250 },
    )
    .catch(() => {});
  await sleep(1500);
  return page;
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(out, `${name}.png`) });
  console.log(`${join(out, `${name}.png`)}`);
}

async function main(): Promise<void> {
  await mkdir(out, { recursive: true });
  const dir = await mkdtemp(join(tmpdir(), 'edgewatch-shots-'));
  const sysfs = new SysfsTree();
  sysfs.bme280(0);
  const { args: upArgs, web } = await stackArgs(dir);
  const webUrl = `http://127.0.0.1:${web}`;
  const child: ChildProcess = spawn(
    join(root, 'bin', 'edgewatch'),
    [...upArgs, ...dashboardStackFlags(sysfs.root)],
    {
      cwd: root,
      stdio: 'ignore',
    },
  );
  const seen = new Set<number>();
  let browser: Browser | undefined;
  try {
    const report = await waitFor(
      'edgewatch up healthy',
      async () => {
        const r = await stackReport(webUrl);
        return r?.components.every((c) => c.health === 'healthy') ? r : undefined;
      },
      30_000,
      250,
    );
    for (const c of report.components) if (c.pid !== null && c.name !== 'edgewatch') seen.add(c.pid);
    const vm = report.components.find((c) => c.name === 'victoriametrics')?.pid;
    // Some history in VictoriaMetrics, and the alert (for: 0s) fired.
    await sleep(20_000);
    browser = await launchChromium();
    const desktop = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });

    await shoot(await open(desktop, webUrl, 'now'), 'now');
    await shoot(await open(desktop, webUrl, 'charts'), 'charts');
    await shoot(await open(phone, webUrl, 'now'), 'now-phone');

    // edgewatch frozen for 40 s under an open Now.
    const frozen = await open(desktop, webUrl, 'now');
    process.kill(child.pid as number, 'SIGSTOP');
    await sleep(40_000);
    await shoot(frozen, 'now-edgewatch-frozen-40s');
    process.kill(child.pid as number, 'SIGCONT');
    await sleep(8000);

    // VictoriaMetrics frozen for 20 s under an open Now and Charts.
    if (vm !== null && vm !== undefined) {
      const now = await open(desktop, webUrl, 'now');
      const charts = await open(desktop, webUrl, 'charts');
      process.kill(vm, 'SIGSTOP');
      try {
        await sleep(20_000);
        await shoot(now, 'now-vm-stopped');
        await shoot(charts, 'charts-vm-stopped');
      } finally {
        process.kill(vm, 'SIGCONT');
      }
    }
  } finally {
    await browser?.close();
    if (child.exitCode === null) {
      process.kill(child.pid as number, 'SIGCONT');
      child.kill('SIGTERM');
      await Promise.race([new Promise((r) => child.once('exit', r)), sleep(10_000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    await sleep(1000);
    for (const pid of seen) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone with edgewatch, as it should be.
      }
    }
    await rm(dir, { recursive: true, force: true, maxRetries: 5 });
    sysfs.remove();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
