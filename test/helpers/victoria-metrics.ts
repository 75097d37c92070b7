/**
 * A real single-node VictoriaMetrics for tests: loopback only, a free port, a temporary data
 * directory, small memory. `stop()` kills it and removes the directory.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './net.js';
import { waitFor } from './wait.js';

export const victoriaMetricsBin = '/usr/bin/victoria-metrics';

export interface ScrapeJob {
  job: string;
  /** host:port */
  target: string;
}

export interface VictoriaMetrics {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

export interface VictoriaMetricsOptions {
  /** Targets to scrape every second. */
  scrape?: readonly ScrapeJob[];
  /** Also scrape VictoriaMetrics' own /metrics as job `victoriametrics`, as the stack does. */
  scrapeSelf?: boolean;
}

export async function startVictoriaMetrics(options: VictoriaMetricsOptions = {}): Promise<VictoriaMetrics> {
  const dir = await mkdtemp(join(tmpdir(), 'edgewatch-vm-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [
    `-httpListenAddr=127.0.0.1:${port}`,
    `-storageDataPath=${join(dir, 'data')}`,
    // Samples are queryable 1 s after they arrive instead of the default 30 s.
    '-search.latencyOffset=1s',
    '-search.disableCache',
    '-memory.allowedBytes=32MiB',
    '-loggerLevel=ERROR',
  ];
  const scrape = [...(options.scrape ?? [])];
  if (options.scrapeSelf) scrape.push({ job: 'victoriametrics', target: `127.0.0.1:${port}` });
  if (scrape.length > 0) {
    const config = join(dir, 'scrape.yaml');
    const jobs = scrape.map(
      (s) => `  - job_name: ${s.job}\n    static_configs:\n      - targets: ['${s.target}']\n`,
    );
    await writeFile(config, `global:\n  scrape_interval: 1s\nscrape_configs:\n${jobs.join('')}`);
    args.push(`-promscrape.config=${config}`);
  }
  const child = spawn(victoriaMetricsBin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-2000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await waitFor(
      `VictoriaMetrics /health on ${url} (stderr: ${stderr})`,
      async () => {
        if (child.exitCode !== null) throw new Error(`victoria-metrics exited: ${stderr}`);
        const res = await fetch(`${url}/health`);
        return res.ok;
      },
      20_000,
      100,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, child, stop };
}

/** Samples in Prometheus text format written straight into VictoriaMetrics, then made searchable. */
export async function importSamples(vm: VictoriaMetrics, text: string): Promise<void> {
  const res = await fetch(`${vm.url}/api/v1/import/prometheus`, { method: 'POST', body: text });
  if (!res.ok) throw new Error(`import failed: ${res.status} ${await res.text()}`);
  await fetch(`${vm.url}/internal/force_flush`);
}
