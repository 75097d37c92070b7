/**
 * Fleet simulation: FLEET_BOXES (200) simulated boxes, each its own real vmagent with its own disk
 * queue and identity labels, scraping a light synthetic exporter (FLEET_SERIES series each) and
 * writing through vmauth to one central VictoriaMetrics on this machine; the central goes away
 * for FLEET_OUTAGE_S in the middle. Prints ingest rate, catch-up time, samples lost (every scrape
 * the exporter served, matched to the central's `up` sample), uplink bytes per box and the
 * central's memory and CPU. `npm run build && node dist/bench/fleet-sim.js`
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCentral } from '../test/helpers/central.js';
import { freePort } from '../test/helpers/net.js';
import { sleep, waitFor } from '../test/helpers/wait.js';

const BOXES = Number(process.env.FLEET_BOXES ?? 200);
const SERIES = Number(process.env.FLEET_SERIES ?? 100);
const SCRAPE_S = 5;
const WARM_S = 30;
const OUTAGE_S = Number(process.env.FLEET_OUTAGE_S ?? 120);

interface SimBox {
  readonly id: number;
  readonly port: number;
  readonly child: ChildProcess;
}

async function metricsOf(url: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const text = await (await fetch(url)).text();
  for (const line of text.split('\n')) {
    const m = /^([^#\s][^\s]*)\s+(\S+)$/.exec(line);
    if (m) out.set(m[1] as string, Number(m[2]));
  }
  return out;
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1000;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'edgewatch-fleet-'));
  const central = await startCentral();
  // Scrape times the exporter served, per box: the truth the central is checked against.
  const served = new Map<number, number[]>();
  const body = Array.from({ length: SERIES }, (_, i) => `sim_reading{n="${i}"} ${i}`).join('\n');
  const exporter = createServer((req, res) => {
    const id = Number(/\/box\/(\d+)/.exec(req.url ?? '')?.[1]);
    served.get(id)?.push(Date.now());
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`${body}\n`);
  });
  const exporterPort = await freePort();
  await new Promise<void>((r) => exporter.listen(exporterPort, '127.0.0.1', r));
  const boxes: SimBox[] = [];
  try {
    for (let id = 0; id < BOXES; id++) {
      served.set(id, []);
      const boxDir = join(dir, `box-${id}`);
      const scrape = join(dir, `scrape-${id}.yml`);
      await writeFile(
        scrape,
        `global: {scrape_interval: ${SCRAPE_S}s}\nscrape_configs:\n  - job_name: fleet\n    metrics_path: /box/${id}\n    static_configs: [{targets: ["127.0.0.1:${exporterPort}"]}]\n`,
      );
      const port = await freePort();
      const child = spawn(
        'vmagent',
        [
          `-httpListenAddr=127.0.0.1:${port}`,
          `-promscrape.config=${scrape}`,
          `-remoteWrite.url=${central.writeUrl}`,
          `-remoteWrite.bearerTokenFile=${central.tokenFile}`,
          `-remoteWrite.tmpDataPath=${boxDir}`,
          `-remoteWrite.label=site=site-${id % 10}`,
          `-remoteWrite.label=device=box-${id}`,
          '-remoteWrite.queues=1',
          '-loggerLevel=ERROR',
        ],
        { stdio: 'ignore', env: { ...process.env, GOMAXPROCS: '1' } },
      );
      boxes.push({ id, port, child });
    }
    await waitFor(
      'every vmagent',
      async () => {
        for (const b of boxes)
          if (
            !(await fetch(`http://127.0.0.1:${b.port}/health`).then(
              (r) => r.ok,
              () => false,
            ))
          )
            return false;
        return true;
      },
      120_000,
      500,
    );
    const vmMetrics = () => metricsOf(`${central.vmUrl}/metrics`);
    const t0 = Date.now();
    const before = await vmMetrics();
    await sleep(WARM_S * 1000);
    const downAt = Date.now();
    await central.setMode('down');
    await sleep(OUTAGE_S * 1000);
    const upAt = Date.now();
    await central.setMode('pass');
    // Every scrape the exporter served before `limit` must be an `up` sample at the central.
    const missingBefore = async (limit: number): Promise<{ expected: number; lost: number }> => {
      await fetch(`${central.vmUrl}/internal/force_flush`);
      const params = new URLSearchParams({
        'match[]': 'up{job="fleet"}',
        start: String(t0 / 1000 - 10),
        end: String(limit / 1000 + 10),
      });
      const text = await (await fetch(`${central.vmUrl}/api/v1/export?${params}`)).text();
      const atCentral = new Map<string, number[]>();
      for (const line of text.split('\n').filter(Boolean)) {
        const row = JSON.parse(line) as { metric: { device: string }; timestamps: number[] };
        atCentral.set(row.metric.device, [...(atCentral.get(row.metric.device) ?? []), ...row.timestamps]);
      }
      let expected = 0;
      let lost = 0;
      for (const [id, times] of served) {
        const got = atCentral.get(`box-${id}`) ?? [];
        for (const t of times.filter((x) => x > t0 && x < limit)) {
          expected++;
          if (!got.some((g) => Math.abs(g - t) < 1000)) lost++;
        }
      }
      return { expected, lost };
    };
    // Catch-up: until the central holds every scrape served before the outage ended (vmagent's
    // retry backoff reaches 60 s, then the queues drain).
    const caughtUpAt = await waitFor(
      'the central to hold the outage',
      async () => ((await missingBefore(upAt)).lost === 0 ? Date.now() : undefined),
      600_000,
      1000,
    );
    await sleep(10_000);
    const after = await vmMetrics();
    const { expected, lost } = await missingBefore(Date.now() - 2 * SCRAPE_S * 1000);
    let bytes = 0;
    const rss: number[] = [];
    for (const b of boxes) {
      const m = await metricsOf(`http://127.0.0.1:${b.port}/metrics`);
      for (const [k, v] of m) if (k.startsWith('vmagent_remotewrite_bytes_sent_total')) bytes += v;
      rss.push(await rssMb(b.child.pid as number));
    }
    const seconds = (Date.now() - t0) / 1000;
    const rows =
      (after.get('vm_rows_inserted_total{type="promremotewrite"}') ?? 0) -
      (before.get('vm_rows_inserted_total{type="promremotewrite"}') ?? 0);
    const cpu =
      (after.get('process_cpu_seconds_total') ?? 0) - (before.get('process_cpu_seconds_total') ?? 0);
    const perBoxPerDay = (bytes / BOXES / seconds) * 86_400;
    const rows2 = [
      ['boxes (vmagent each)', String(BOXES)],
      ['series per box', `${SERIES} + 5 scrape series`],
      ['scrape interval', `${SCRAPE_S} s`],
      [
        'run',
        `${seconds.toFixed(0)} s, central down ${OUTAGE_S} s after ${((downAt - t0) / 1000).toFixed(0)} s`,
      ],
      ['central ingest (mean)', `${(rows / seconds).toFixed(0)} samples/s`],
      [
        'catch-up after the outage',
        `${((caughtUpAt - upAt) / 1000).toFixed(0)} s until the central held every scrape of the outage`,
      ],
      ['scrapes checked / lost', `${expected} / ${lost}`],
      [
        'uplink bytes per box',
        `${(perBoxPerDay / 1e6).toFixed(1)} MB/day at this rate (${(bytes / BOXES / 1e3).toFixed(0)} kB in the run)`,
      ],
      [
        'vmagent RSS per box',
        `${(rss.reduce((a, b) => a + b, 0) / rss.length).toFixed(1)} MB mean, ${Math.max(...rss).toFixed(1)} MB max`,
      ],
      [
        'central VictoriaMetrics',
        `${((after.get('process_resident_memory_bytes') ?? 0) / 1e6).toFixed(0)} MB RSS, ${((cpu / seconds) * 1000).toFixed(0)} ms CPU/s`,
      ],
      ['machine', `${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${new Date().toISOString().slice(0, 10)}`],
    ];
    for (const [k, v] of rows2) process.stdout.write(`| ${k} | ${v} |\n`);
    if (lost > 0) process.exitCode = 1;
  } finally {
    for (const b of boxes) b.child.kill('SIGTERM');
    await sleep(2000);
    for (const b of boxes) if (b.child.exitCode === null) b.child.kill('SIGKILL');
    exporter.close();
    await central.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
