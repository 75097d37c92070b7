/**
 * The stack the dashboard tests run against: a whole `edgewatch up` (real VictoriaMetrics and
 * vmalert, test/helpers/stack.ts) reading a fake IIO BME280 (temperature, humidity, pressure) and
 * a simulated sensor with a fixed seed, everything every second, and vmalert told to fire
 * SensorTemperatureHigh at once: the threshold is -50 °C with `for: 0s`.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AlertsReport } from '../../src/api/types.js';
import { edgewatchBin, repoRoot } from '../helpers/edgewatch.js';
import { type StackUnderTest, startStack } from '../helpers/stack.js';
import { SysfsTree } from '../helpers/sysfs-tree.js';
import { waitFor } from '../helpers/wait.js';

export const dashboardDist = join(repoRoot, 'dist', 'dashboard');

/** The binaries `edgewatch up` looks up on PATH by default (the Debian package's). */
const stackBinaries = ['/usr/bin/victoria-metrics', '/usr/bin/vmalert', '/usr/bin/setpriv'];

/** Why the harness cannot run here, or undefined when it can. */
export function harnessUnavailable(): string | undefined {
  if (!existsSync(edgewatchBin) || !existsSync(join(repoRoot, 'dist', 'edgewatch.cjs'))) {
    return 'bin/edgewatch or its build (dist/edgewatch.cjs) is missing';
  }
  const missing = stackBinaries.find((bin) => !existsSync(bin));
  if (missing) return `${missing} is not installed`;
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

/** The Now view's host-health instant queries (queries.ts hostQueries), from the list the build wrote. */
export async function dashboardHostQueries(): Promise<Array<{ id: string; expr: string }>> {
  const list = JSON.parse(await readFile(join(dashboardDist, 'queries.json'), 'utf8')) as {
    host?: Array<{ id: string; expr: string }>;
  };
  return list.host ?? [];
}

/** The alert the stack fires: every environment sensor reads above -50 °C. */
export const firedAlert = 'SensorTemperatureHigh';

/** `--sensor.location` of both sensors. */
export const sensorLocation = 'shed';

/**
 * Flags added to stackArgs(): the fake BME280 next to the simulated sensor, and the alert
 * (`alert: false`: a threshold no reading reaches, for tests that need every card OK).
 */
export function dashboardStackFlags(sysfsRoot: string, alert = true): string[] {
  return [
    '--sensor.sources=iio,simulated',
    `--paths.sysfs=${sysfsRoot}`,
    `--sensor.location=${sensorLocation}`,
    '--alerting.threshold-for=0s',
    `--alerting.temperature-high=${alert ? -50 : 100}`,
  ];
}

/**
 * `edgewatch up` as the dashboard sees it; cleanup() also removes the fake sysfs tree. `sysfs`:
 * the caller's tree (with the BME280 already written), to break a sensor's files meanwhile.
 */
export async function startDashboardStack(
  options: { sysfs?: SysfsTree; alert?: boolean } = {},
): Promise<StackUnderTest> {
  const sysfs = options.sysfs ?? new SysfsTree();
  if (!options.sysfs) sysfs.bme280(0);
  let stack: StackUnderTest;
  try {
    stack = await startStack(dashboardStackFlags(sysfs.root, options.alert));
  } catch (err) {
    sysfs.remove();
    throw err;
  }
  return {
    ...stack,
    cleanup: async () => {
      await stack.cleanup();
      sysfs.remove();
    },
  };
}

/** Series of a range query over the last two minutes, through edgewatch's query proxy (as the page asks). */
export async function rangeQuerySeries(webUrl: string, expr: string): Promise<number> {
  const end = Math.floor(Date.now() / 1000);
  const params = new URLSearchParams({ query: expr, start: String(end - 120), end: String(end), step: '5' });
  const res = await fetch(`${webUrl}/api/v1/query_range?${params}`);
  const body = (await res.json()) as { status: string; error?: string; data?: { result: unknown[] } };
  if (body.status !== 'success') throw new Error(`${expr}: ${body.error ?? res.status}`);
  return body.data?.result.length ?? 0;
}

/** GET /api/alerts until `name` is active (vmalert evaluated it and notified edgewatch). */
export function waitForActiveAlert(webUrl: string, name: string, timeoutMs: number): Promise<AlertsReport> {
  return waitFor(
    `${name} active in ${webUrl}/api/alerts`,
    async () => {
      const report = (await (await fetch(`${webUrl}/api/alerts`)).json()) as AlertsReport;
      return report.active.some((a) => a.name === name) ? report : undefined;
    },
    timeoutMs,
    250,
  );
}
