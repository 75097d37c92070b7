/**
 * A box with an uplink for tests: `edgewatch up` (stackArgs: 1 s scrapes) with a remote_write
 * endpoint at a test central, device labels, and a 1 s uplink poll, on a data directory that
 * can be reused by a second start.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { stackComponentNames } from '../../src/budget/plan.js';
import { backfillSelector } from '../../src/uplink/backfill.js';
import type { Central } from './central.js';
import { EdgewatchProcess } from './edgewatch.js';
import { freePort, httpGet } from './net.js';
import { stackArgs } from './stack.js';
import { pidAlive, waitFor } from './wait.js';

export const DEVICE_LABELS = { site: 'test-site', device: 'box-1' } as const;
/**
 * What vmagent sends: the tests send every scrape job (uplink.jobs), ~2,200 series at 1 s, so a
 * window holds ~140,000 samples; vmalert's ALERTS series are never sent.
 */
export const SENT_SELECTOR = backfillSelector(stackComponentNames(true));

export interface Box {
  readonly proc: EdgewatchProcess;
  readonly dir: string;
  readonly webUrl: string;
  readonly vmUrl: string;
  readonly args: readonly string[];
  /** One value of edgewatch's /metrics, or undefined when the series is absent. */
  metric(name: string, labels?: Record<string, string>): Promise<number | undefined>;
  componentPid(name: string): Promise<number | undefined>;
  /** Stops edgewatch and waits for its components. */
  stop(): Promise<void>;
}

export async function boxDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'edgewatch-box-'));
}

export interface BoxIdentity {
  /** The box's `device:` labels. Default: DEVICE_LABELS. */
  readonly device?: Readonly<Record<string, string>>;
  /** uplink.jobs; `default` leaves edgewatch's default (its own job only). Default: every job. */
  readonly jobs?: readonly string[] | 'default';
  /** The endpoint's max_disk_usage, e.g. 1MiB. Default: edgewatch's (1GiB). */
  readonly maxDiskUsage?: string;
}

export async function startBox(
  central: Central,
  dir: string,
  extra: readonly string[] = [],
  identity: BoxIdentity = {},
): Promise<Box> {
  const jobs = identity.jobs ?? stackComponentNames(true);
  const configFile = join(dir, 'edgewatch.yml');
  await writeFile(
    configFile,
    [
      'remote_write:',
      `  - url: ${JSON.stringify(central.writeUrl)}`,
      `    bearer_token_file: ${JSON.stringify(central.tokenFile)}`,
      ...(identity.maxDiskUsage === undefined ? [] : [`    max_disk_usage: ${identity.maxDiskUsage}`]),
      'device:',
      ...Object.entries(identity.device ?? DEVICE_LABELS).map(([k, v]) => `  ${k}: ${v}`),
      'uplink:',
      '  poll_interval: 1s',
      '',
    ].join('\n'),
  );
  const { args: base, web, vm } = await stackArgs(dir);
  const args = [
    ...base,
    `--config.file=${configFile}`,
    `--vmagent.listen-address=127.0.0.1:${await freePort()}`,
    ...(jobs === 'default' ? [] : [`--uplink.jobs=${jobs.join(',')}`]),
    ...extra,
  ];
  const proc = new EdgewatchProcess(args);
  const webUrl = `http://127.0.0.1:${web}`;
  const pids = new Set<number>();
  const componentPid = async (name: string) => {
    const report = JSON.parse((await httpGet(`${webUrl}/api/stack`)).body) as {
      components: Array<{ name: string; pid: number | null }>;
    };
    for (const c of report.components) if (c.pid !== null && c.name !== 'edgewatch') pids.add(c.pid);
    return report.components.find((c) => c.name === name)?.pid ?? undefined;
  };
  const box: Box = {
    proc,
    dir,
    webUrl,
    vmUrl: `http://127.0.0.1:${vm}`,
    args,
    async metric(name, labels = {}) {
      const text = (await httpGet(`${webUrl}/metrics`)).body;
      for (const line of text.split('\n')) {
        if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
        if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) {
          return Number(line.slice(line.lastIndexOf(' ') + 1));
        }
      }
      return undefined;
    },
    componentPid,
    async stop() {
      await proc.stop(10_000);
      await waitFor('components to exit', () => [...pids].every((pid) => !pidAlive(pid)), 10_000).catch(
        () => {
          for (const pid of pids) if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
        },
      );
    },
  };
  try {
    await proc.waitForLog((l) => l.msg === 'stack healthy', 30_000);
    await componentPid('vmagent');
  } catch (err) {
    await box.stop();
    throw err;
  }
  return box;
}

export async function removeBoxDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 5 });
}

/** Waits until edgewatch proves every sample before `ms` reached the endpoint. */
export async function waitDeliveredPast(box: Box, ms: number, timeoutMs: number): Promise<number> {
  return waitFor(
    `edgewatch_uplink_delivered_until_seconds past ${new Date(ms).toISOString()}`,
    async () => {
      const until = await box.metric('edgewatch_uplink_delivered_until_seconds');
      return until !== undefined && until * 1000 > ms ? until * 1000 : undefined;
    },
    timeoutMs,
    500,
  );
}

export interface BoxFixture {
  readonly central: Central;
  /** The running box; a test may replace it (a restart on the same directory). */
  box: Box;
  readonly dir: string;
}

/**
 * Registers before/after hooks for one central and one box on a fresh data directory; the
 * returned object is filled in by `before` and cleaned up by `after`, whatever the test did.
 */
export function useBoxWithCentral(
  start: () => Promise<Central>,
  extra: readonly string[] = [],
  identity: BoxIdentity = {},
): BoxFixture {
  const fixture = {} as { central: Central; box: Box; dir: string };
  before(async () => {
    fixture.central = await start();
    fixture.dir = await boxDir();
    fixture.box = await startBox(fixture.central, fixture.dir, extra, identity);
  });
  after(async () => {
    await fixture.box?.stop();
    await fixture.central?.stop();
    if (fixture.dir) await removeBoxDir(fixture.dir);
  });
  return fixture;
}

/**
 * Waits until the link is proven healthy, then takes the central down and waits for the box to
 * say so. Returns the earliest time the comparison window may start, and when the outage began.
 */
export async function beginOutage(f: BoxFixture): Promise<{ start: number; downAt: number }> {
  const start = await waitDeliveredPast(f.box, Date.now() - 30_000, 30_000);
  const downAt = Date.now();
  await f.central.setMode('down');
  await waitFor('uplink down', async () => (await f.box.metric('edgewatch_uplink_up')) === 0, 20_000, 200);
  return { start, downAt };
}
