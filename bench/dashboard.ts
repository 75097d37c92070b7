/**
 * Benchmarks the dashboard served by a real `edgewatch up` (VictoriaMetrics and vmalert included,
 * loopback, a temporary directory, production intervals, the four sensors of a typical box in a
 * fake sysfs tree) and prints one markdown table:
 *
 * - every dashboard asset gzipped, as edgewatch serves it to a browser that accepts gzip;
 * - from page.goto() to the Now view showing readings, and to the first chart drawn with data on
 *   the Charts view (headless Chromium, a cold cache each time: median and range of --loads);
 * - the edgewatch process's RSS and RssAnon before and after the Charts view was open with 5 s
 *   auto-refresh for --minutes;
 * - from freezing the backend (SIGSTOP of edgewatch, of VictoriaMetrics) to the open page saying
 *   its data is not current, at the default 15 s refresh (the bound: 15 s + GRACE_MS).
 *
 *   npm run bench:dashboard                   # 5 minutes with the dashboard open
 *   node dist/bench/dashboard.js --minutes=1 --loads=3
 *
 * At the end the Charts view, with the minutes of data behind it, is saved to
 * test-artifacts/bench/dashboard-charts.png.
 */
import { mkdir } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { GRACE_MS } from '../dashboard/src/freshness.js';
import { dashboardQueries, rangeQuerySeries } from '../test/dashboard/harness.js';
import { launchChromium } from '../test/helpers/chromium.js';
import { type StackUnderTest, startStack } from '../test/helpers/stack.js';
import { SysfsTree } from '../test/helpers/sysfs-tree.js';
import { sleep, waitFor } from '../test/helpers/wait.js';
import { hardware, type MemoryStats, memory } from './lib/proc-stats.js';
import { timeToStale } from './lib/stall.js';

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k as string, v ?? 'true'];
  }),
);
const minutes = Number(args.get('minutes') ?? 5);
const loads = Number(args.get('loads') ?? 5);
const root = fileURLToPath(new URL('../../', import.meta.url));

/** GET with gzip accepted; the body as it crossed the wire (not decompressed). */
function getRaw(url: string): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** index.html and every /assets/ file it references, gzipped as served. */
async function assetSizes(base: string): Promise<{ files: number; gzipBytes: number }> {
  const index = await getRaw(`${base}/`);
  if (index.status !== 200 || index.headers['content-encoding'] !== 'gzip')
    throw new Error(`GET / answered ${index.status}, encoding ${String(index.headers['content-encoding'])}`);
  const html = gunzipSync(index.body).toString('utf8');
  const assets = [...new Set([...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]))];
  let gzipBytes = index.body.length;
  for (const path of assets) {
    const res = await getRaw(`${base}${path}`);
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
    gzipBytes += res.body.length;
  }
  return { files: 1 + assets.length, gzipBytes };
}

/**
 * Wall-clock times (ms since the epoch) at which the page first painted readings on Now, a chart
 * with data, and every chart with data: a MutationObserver notices the DOM change and the next
 * animation frame, when it is drawn, is the time taken.
 */
const timingScript = () => {
  const marks: Record<string, number> = {};
  const pending = new Set<string>();
  (window as unknown as { __marks: typeof marks }).__marks = marks;
  const mark = (name: string) => {
    if (name in marks || pending.has(name)) return;
    pending.add(name);
    requestAnimationFrame((t) => {
      marks[name] = performance.timeOrigin + t;
    });
  };
  new MutationObserver(() => {
    if (document.querySelector('article.sensor dd')) mark('now');
    const figures = Array.from(document.querySelectorAll<HTMLElement>('[data-chart]'));
    const drawn = figures.filter((f) => Number(f.dataset.points) > 0).length;
    if (drawn > 0) mark('firstChart');
    if (figures.length > 0 && drawn === figures.length) mark('allCharts');
  }).observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['data-points'],
  });
};

/** ms from goto() to each of `markNames`, in a fresh context (cold cache). */
async function timeLoad(browser: Browser, url: string, markNames: readonly string[]): Promise<number[]> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await page.addInitScript(timingScript);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    const start = Date.now();
    await page.goto(url);
    const marks = await page.waitForFunction(
      (names: string[]) => {
        const all = (window as unknown as { __marks: Record<string, number> }).__marks;
        return names.every((n) => n in all) ? names.map((n) => all[n] as number) : undefined;
      },
      [...markNames],
      { timeout: 60_000 },
    );
    if (errors.length > 0) throw new Error(`${url}: ${errors.join('; ')}`);
    return ((await marks.jsonValue()) as number[]).map((t) => t - start);
  } finally {
    await context.close();
  }
}

interface Spread {
  median: number;
  min: number;
  max: number;
}

/** `run` `n` times; the spread of each of the values it returns. */
async function repeat(n: number, run: () => Promise<number[]>): Promise<Spread[]> {
  const runs: number[][] = [];
  for (let i = 0; i < n; i++) runs.push(await run());
  return (runs[0] ?? []).map((_, k) => {
    const values = runs.map((r) => r[k] as number).sort((a, b) => a - b);
    return {
      median: values[Math.floor((values.length - 1) / 2)] as number,
      min: values[0] as number,
      max: values.at(-1) as number,
    };
  });
}

/**
 * The Charts view (last hour) open with 5 s auto-refresh for `ms`; the RSS of `pid` at each whole
 * minute, to tell a one-off rise to the working size from a leak. Then the last 15 minutes, with
 * the data gathered meanwhile, saved to `screenshot`.
 */
async function keepOpen(
  browser: Browser,
  base: string,
  pid: number,
  ms: number,
  screenshot: string,
): Promise<{ requests: number; failed: number; perMinute: MemoryStats[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page: Page = await context.newPage();
    let requests = 0;
    let failed = 0;
    page.on('requestfinished', () => requests++);
    page.on('requestfailed', () => failed++);
    page.on('response', (r) => {
      if (r.status() >= 400) failed++;
    });
    await page.goto(`${base}/#/charts?refresh=5s`);
    const start = Date.now();
    const perMinute: MemoryStats[] = [];
    while (Date.now() - start < ms) {
      const nextMinute = start + (perMinute.length + 1) * 60_000;
      await sleep(Math.max(0, Math.min(nextMinute, start + ms) - Date.now()));
      if (Date.now() >= nextMinute) perMinute.push(memory(pid));
    }
    await page.goto(`${base}/#/charts?range=15m&refresh=5s`);
    await page.waitForSelector('body[data-loaded="charts"]');
    await page.screenshot({ path: screenshot, fullPage: true });
    return { requests, failed, perMinute };
  } finally {
    await context.close();
  }
}

const sysfs = new SysfsTree().typicalBox();
let stack: StackUnderTest | undefined;
let browser: Browser | undefined;
try {
  // startStack's 1 s test intervals put back to the defaults a box runs with.
  stack = await startStack([
    `--paths.sysfs=${sysfs.root}`,
    '--sensor.sources=auto',
    '--vm.scrape-interval=15s',
    '--sensor.interval=5s',
    '--sensor.location=site-office',
    '--alerting.evaluation-interval=15s',
  ]);
  const base = stack.webUrl;
  const pid = stack.proc.pid;
  const queries = await dashboardQueries();
  // Data in VictoriaMetrics for every chart first: a fresh database needs ~10 s before new series
  // are searchable, and rate() two scrapes.
  await waitFor(
    'data for every dashboard query',
    async () => {
      for (const q of queries) if ((await rangeQuerySeries(base, q.expr)) === 0) return false;
      return true;
    },
    180_000,
    2000,
  );

  const assets = await assetSizes(base);
  browser = await launchChromium();
  const b = browser;
  // One load not counted, until every chart has data in the window the page asks for (the wait
  // above asks for the last two minutes): Chromium's first start-up costs are not the dashboard's.
  await timeLoad(b, `${base}/#/charts?refresh=5s`, ['allCharts']);
  const [now] = (await repeat(loads, () => timeLoad(b, `${base}/#/now`, ['now']))) as [Spread];
  const [firstChart, allCharts] = (await repeat(loads, () =>
    timeLoad(b, `${base}/#/charts`, ['firstChart', 'allCharts']),
  )) as [Spread, Spread];

  await sleep(10_000); // let the loads' garbage and the scrapes settle
  const before = memory(pid);
  const artifacts = join(root, 'test-artifacts', 'bench');
  await mkdir(artifacts, { recursive: true });
  const open = await keepOpen(b, base, pid, minutes * 60_000, join(artifacts, 'dashboard-charts.png'));
  const after = memory(pid);
  const vmPid = (await stack.stack()).components.find((c) => c.name === 'victoriametrics')?.pid;
  const edgewatchStalled = await timeToStale(b, base, '#/now', pid);
  const vmStalled = vmPid ? await timeToStale(b, base, '#/charts', vmPid) : Number.NaN;

  const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
  const growth = (a: number, z: number) => `${z >= a ? '+' : ''}${((z - a) / 1e6).toFixed(1)}`;
  const spread = (s: Spread) => `${s.median.toFixed(0)} (${s.min.toFixed(0)}–${s.max.toFixed(0)})`;
  const rows: Array<[string, string, string]> = [
    [`dashboard assets gzipped, ${assets.files} files, KB`, (assets.gzipBytes / 1024).toFixed(1), '≤ 150'],
    ['goto → Now shows readings, ms', spread(now), '≤ 1000'],
    ['goto → first chart drawn with data (Charts), ms', spread(firstChart), '≤ 1000'],
    [
      `goto → all ${new Set(queries.map((q) => q.chart)).size} charts drawn (Charts), ms`,
      spread(allCharts),
      '',
    ],
    [
      `edgewatch RSS before / after ${minutes} min open, MB`,
      `${mb(before.rssBytes)} / ${mb(after.rssBytes)}`,
      '',
    ],
    [
      `edgewatch RssAnon before / after ${minutes} min open, MB`,
      `${mb(before.anonBytes)} / ${mb(after.anonBytes)}`,
      '',
    ],
    [
      'growth RSS / RssAnon, MB',
      `${growth(before.rssBytes, after.rssBytes)} / ${growth(before.anonBytes, after.anonBytes)}`,
      '≤ 5',
    ],
    [
      `RSS after each minute open (1 … ${open.perMinute.length}), MB`,
      open.perMinute.map((m) => mb(m.rssBytes)).join(' / '),
      '',
    ],
    [`requests by the open page in ${minutes} min (failed)`, `${open.requests} (${open.failed})`, ''],
    [
      'edgewatch SIGSTOPped → Now says not current (refresh 15 s), ms',
      edgewatchStalled.toFixed(0),
      `≤ ${15_000 + GRACE_MS}`,
    ],
    [
      'VictoriaMetrics SIGSTOPped → Charts says not current (refresh 15 s), ms',
      vmStalled.toFixed(0),
      `≤ ${15_000 + GRACE_MS}`,
    ],
  ];

  console.log(`\nDashboard benchmark, ${new Date().toISOString().slice(0, 10)}; ${hardware()}`);
  console.log(
    `edgewatch up on 127.0.0.1 (default intervals: 15 s scrape, 5 s sensors; 4 fake sysfs sensors), Chromium ${browser.version()} headless. Load times: cold cache (a new browser context each), median (min–max) of ${loads} after one warm-up load, from page.goto() to the frame that drew it. Open: Charts view, last hour, auto-refresh 5 s. KB = 1,024 B; MB = 10^6 B.\n`,
  );
  console.log('| | value | target |');
  console.log('|---|---:|---|');
  for (const [label, value, target] of rows) console.log(`| ${label} | ${value} | ${target} |`);
} finally {
  await browser?.close();
  await stack?.cleanup();
  sysfs.remove();
}
