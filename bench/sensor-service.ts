/**
 * Benchmarks the sensor service against a straightforward node:http + prom-client server and
 * prints one markdown table. Needs wrk (Debian package wrk). Loopback only.
 *
 *   npm run bench                       # both, 60 s of load each
 *   node dist/bench/sensor-service.js --load-seconds=20 --only=edgewatch
 *
 * Figures: requests/s and p50/p99 latency at 4 connections (wrk, one thread); CPU seconds per
 * 1,000 scrapes (the server's CPU while wrk ran, from schedstat); idle CPU in ms per second over
 * 30 s; RSS, RssAnon (what is really the process's own: heap, young generation, buffers) and PSS
 * idle and after the load; the /metrics body size.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/helpers/net.js';
import { SysfsTree } from '../test/helpers/sysfs-tree.js';
import { waitFor } from '../test/helpers/wait.js';
import { cpuMs, hardware, type MemoryStats, memory } from './lib/proc-stats.js';
import { wrk } from './lib/wrk.js';

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k as string, v ?? 'true'];
  }),
);
const loadSeconds = Number(args.get('load-seconds') ?? 60);
// 30 s: two host samples (15 s) and six sensor rounds (5 s), so the average covers whole cycles.
const idleSeconds = Number(args.get('idle-seconds') ?? 30);
const only = args.get('only');
const root = fileURLToPath(new URL('../../', import.meta.url));

interface Result {
  name: string;
  metricsRps: number;
  metricsP50: number;
  metricsP99: number;
  sensorRps: number;
  sensorP50: number;
  sensorP99: number;
  cpuSecondsPer1000: number;
  idleCpuMsPerSecond: number;
  idle: MemoryStats;
  loaded: MemoryStats;
  metricsBodyBytes: number;
  errors: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function measure(name: string, child: ChildProcess, port: number): Promise<Result> {
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${name} listening`, async () => (await fetch(`${base}/metrics`)).ok, 10_000);
  await sleep(20_000); // start-up work: JIT, first samples, V8's memory reducer GCs (~10 s)
  const pid = child.pid as number;

  const idleStart = cpuMs(pid);
  await sleep(idleSeconds * 1000);
  const idleCpuMsPerSecond = (cpuMs(pid) - idleStart) / idleSeconds;
  const idle = memory(pid);
  const metricsBodyBytes = (await (await fetch(`${base}/metrics`)).text()).length;

  // Half the load on each endpoint, for `loadSeconds` in all.
  const half = Math.max(1, Math.round(loadSeconds / 2));
  const cpuBefore = cpuMs(pid);
  const metrics = wrk(`${base}/metrics`, half);
  const cpuMetrics = cpuMs(pid) - cpuBefore;
  const sensor = wrk(`${base}/sensor`, half);
  const loaded = memory(pid);
  return {
    name,
    metricsRps: metrics.requestsPerSecond,
    metricsP50: metrics.p50Ms,
    metricsP99: metrics.p99Ms,
    sensorRps: sensor.requestsPerSecond,
    sensorP50: sensor.p50Ms,
    sensorP99: sensor.p99Ms,
    cpuSecondsPer1000: cpuMetrics / 1000 / (metrics.requests / 1000),
    idleCpuMsPerSecond,
    idle,
    loaded,
    metricsBodyBytes,
    errors: metrics.errors + sensor.errors,
  };
}

async function runEdgewatch(): Promise<Result> {
  const sysfs = new SysfsTree().typicalBox();
  const port = await freePort();
  const child = spawn(
    `${root}bin/edgewatch`,
    [
      'sensor',
      `--web.listen-address=127.0.0.1:${port}`,
      `--paths.sysfs=${sysfs.root}`,
      `--storage.path=${sysfs.root}`,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  try {
    return await measure('edgewatch', child, port);
  } finally {
    child.kill('SIGTERM');
    sysfs.remove();
  }
}

async function runPeer(): Promise<Result> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [`${root}dist/bench/peers/prom-client-server.js`, String(port), '4'],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  try {
    return await measure('node:http + prom-client', child, port);
  } finally {
    child.kill('SIGTERM');
  }
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
const results: Result[] = [];
if (only !== 'peer') results.push(await runEdgewatch());
if (only !== 'edgewatch') results.push(await runPeer());

const rows: Array<[string, (r: Result) => string, string]> = [
  ['/metrics requests/s (4 conns)', (r) => r.metricsRps.toFixed(0), '≥ 10,000'],
  [
    '/metrics p50 / p99 latency, ms',
    (r) => `${r.metricsP50.toFixed(2)} / ${r.metricsP99.toFixed(2)}`,
    'p99 ≤ 2',
  ],
  ['/sensor requests/s (4 conns)', (r) => r.sensorRps.toFixed(0), ''],
  ['/sensor p50 / p99 latency, ms', (r) => `${r.sensorP50.toFixed(2)} / ${r.sensorP99.toFixed(2)}`, ''],
  ['CPU seconds per 1,000 scrapes', (r) => r.cpuSecondsPer1000.toFixed(3), '≤ 0.1'],
  ['idle CPU, ms per second', (r) => r.idleCpuMsPerSecond.toFixed(2), '≤ 0.5'],
  ['RSS idle / after load, MB', (r) => `${mb(r.idle.rssBytes)} / ${mb(r.loaded.rssBytes)}`, '≤ 60 after'],
  [
    'RssAnon idle / after load, MB',
    (r) => `${mb(r.idle.anonBytes)} / ${mb(r.loaded.anonBytes)}`,
    '≤ 15 / ≤ 20',
  ],
  ['PSS idle / after load, MB', (r) => `${mb(r.idle.pssBytes)} / ${mb(r.loaded.pssBytes)}`, ''],
  ['/metrics body, bytes', (r) => String(r.metricsBodyBytes), '≤ 8,192 (4 sensors)'],
  ['failed requests', (r) => String(r.errors), '0'],
];

console.log(`\nSensor service benchmark, ${new Date().toISOString().slice(0, 10)}; ${hardware()}`);
console.log(
  `Load: wrk -t1 -c4, ${Math.round(loadSeconds / 2)} s on /metrics then on /sensor; idle over ${idleSeconds} s; MB = 10^6 bytes.\n`,
);
console.log(`| | ${results.map((r) => r.name).join(' | ')} | target |`);
console.log(`|---|${results.map(() => '---:').join('|')}|---|`);
for (const [label, value, target] of rows)
  console.log(`| ${label} | ${results.map(value).join(' | ')} | ${target} |`);
