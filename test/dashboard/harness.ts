/**
 * The sensor-only stack the dashboard tests run against: `edgewatch sensor` reading a fake IIO
 * BME280 (temperature, humidity, pressure) and a simulated sensor, and a real VictoriaMetrics
 * scraping it (and itself) every second, as `edgewatch up` would every 15 s.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EdgewatchProcess, edgewatchBin, repoRoot } from '../helpers/edgewatch.js';
import { freePort } from '../helpers/net.js';
import {
  startVictoriaMetrics,
  type VictoriaMetrics,
  victoriaMetricsBin,
} from '../helpers/victoria-metrics.js';
import { waitFor } from '../helpers/wait.js';

export const dashboardDist = join(repoRoot, 'dist', 'dashboard');

/** Why the harness cannot run here, or undefined when it can. */
export function harnessUnavailable(): string | undefined {
  if (!existsSync(edgewatchBin) || !existsSync(join(repoRoot, 'dist', 'src', 'cli', 'entry.js'))) {
    return 'bin/edgewatch or its build (dist/src/cli/entry.js) is missing';
  }
  if (!existsSync(victoriaMetricsBin)) return `${victoriaMetricsBin} is not installed`;
  if (!existsSync(join(dashboardDist, 'queries.json'))) {
    return 'dist/dashboard/queries.json is missing: run node scripts/build-dashboard.mjs';
  }
  return undefined;
}

export interface DashboardQuery {
  chart: string;
  expr: string;
  needs?: 'stack';
}

/** Every query of the built-in dashboard, from the list the build wrote. */
export async function dashboardQueries(): Promise<DashboardQuery[]> {
  const list = JSON.parse(await readFile(join(dashboardDist, 'queries.json'), 'utf8')) as {
    charts: Array<{ id: string; queries: Array<{ expr: string; needs?: 'stack' }> }>;
  };
  return list.charts.flatMap((c) => c.queries.map((q) => ({ chart: c.id, expr: q.expr, needs: q.needs })));
}

export interface SensorHarness {
  /** http://127.0.0.1:PORT of the sensor service. */
  readonly sensorUrl: string;
  readonly vm: VictoriaMetrics;
  stop(): Promise<void>;
}

/** A BME280 as the kernel's bme280 IIO driver presents it: milli°C, milli%RH, kPa. */
async function writeFakeSysfs(root: string): Promise<void> {
  const dir = join(root, 'bus', 'iio', 'devices', 'iio:device0');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'name'), 'bme280\n');
  await writeFile(join(dir, 'in_temp_input'), '21450\n');
  await writeFile(join(dir, 'in_humidityrelative_input'), '45123\n');
  await writeFile(join(dir, 'in_pressure_input'), '101.325\n');
}

export async function startSensorHarness(): Promise<SensorHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'edgewatch-dash-harness-'));
  const sysfs = join(dir, 'sys');
  await writeFakeSysfs(sysfs);
  const port = await freePort();
  const sensorUrl = `http://127.0.0.1:${port}`;
  const edgewatch = new EdgewatchProcess([
    'sensor',
    `--web.listen-address=127.0.0.1:${port}`,
    '--sensor.interval=1s',
    '--sensor.sources=iio,simulated',
    `--paths.sysfs=${sysfs}`,
    '--sensor.location=shed',
    `--storage.path=${dir}`,
  ]);
  let vm: VictoriaMetrics | undefined;
  const stop = async () => {
    await vm?.stop();
    await edgewatch.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      `edgewatch sensor ready on ${sensorUrl} (stderr: ${edgewatch.stderrText.slice(-3).join(' | ')})`,
      async () => {
        if (edgewatch.child.exitCode !== null) throw new Error(`exited: ${edgewatch.stderrText.join('\n')}`);
        return (await fetch(`${sensorUrl}/readyz`)).ok;
      },
      20_000,
      100,
    );
    vm = await startVictoriaMetrics({
      scrape: [{ job: 'edgewatch', target: `127.0.0.1:${port}` }],
      scrapeSelf: true,
    });
    const vmUrl = vm.url;
    await waitFor(
      'VictoriaMetrics to have scraped edgewatch',
      async () => {
        const res = await fetch(
          `${vmUrl}/api/v1/query?query=${encodeURIComponent('up{job="edgewatch"} == 1')}`,
        );
        const body = (await res.json()) as { data?: { result?: unknown[] } };
        return (body.data?.result?.length ?? 0) > 0;
      },
      30_000,
      250,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { sensorUrl, vm, stop };
}

/** Non-empty result of a range query over the last two minutes, straight from VictoriaMetrics. */
export async function rangeQuerySeries(vm: VictoriaMetrics, expr: string): Promise<number> {
  const end = Math.floor(Date.now() / 1000);
  const params = new URLSearchParams({ query: expr, start: String(end - 120), end: String(end), step: '5' });
  const res = await fetch(`${vm.url}/api/v1/query_range?${params}`);
  const body = (await res.json()) as { status: string; error?: string; data?: { result: unknown[] } };
  if (body.status !== 'success') throw new Error(`${expr}: ${body.error ?? res.status}`);
  return body.data?.result.length ?? 0;
}
