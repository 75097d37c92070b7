/**
 * `edgewatch verify`: will the stack fit on a box this size? Runs `edgewatch up` inside a
 * cgroup with the box's memory and CPUs, drives scrape and dashboard load for a while, and
 * measures memory the way `docker stats` does, each component's PSS, OOM kills, failed
 * requests and VictoriaMetrics' own scrapes.
 *
 * Everything runs on free loopback ports and a temporary storage path, so a production stack on
 * the same box is not disturbed. The cgroup, the stack and the data are removed at the end,
 * also when the run fails or is interrupted.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { budgetOptions, stackComponentNames } from '../budget/plan.js';
import { commonOptions } from '../config/common-options.js';
import { configFileOptions } from '../config/load.js';
import { flagName, type Option } from '../config/option.js';
import { formatDuration } from '../config/units.js';
import { EdgewatchError, ErrorCode, errorMessage } from '../errors.js';
import { webOptions } from '../http/options.js';
import type { Logger } from '../log/logger.js';
import { freePort } from '../net/free-port.js';
import { packagePath } from '../paths.js';
import { probeHealth } from '../stack/health.js';
import { scrapeOptions } from '../stack/scrape-config.js';
import { victoriaMetricsOptions } from '../stack/victoria-metrics.js';
import { vmagentOptions } from '../stack/vmagent.js';
import { vmalertOptions } from '../stack/vmalert.js';
import { Cgroup } from './cgroup.js';
import { readDashboardQueries } from './dashboard-queries.js';
import { queryLoad, scrapeLoad } from './verify-load.js';
import { judge, type ScrapeHealth, type VerifyReport } from './verify-report.js';
import { MemorySampler, SAMPLE_INTERVAL_MS } from './verify-sampler.js';
import { type StackProcess, spawnInCgroup } from './verify-stack.js';
import { sinkRemoteWrite, type UplinkSink } from './verify-uplink.js';

/** bin/edgewatch: the same node flags as in production. */
const edgewatchBin = packagePath('bin/edgewatch');

/** A few seconds, so even a short run sees several scrapes of every job. */
const SCRAPE_INTERVAL_MS = 2000;
/** Start-up on a Raspberry Pi: VictoriaMetrics opening its storage, node loading. */
const STARTUP_TIMEOUT_MS = 90_000;
/** How long `edgewatch up` may take to stop its components before it is killed. */
const STOP_GRACE_MS = 15_000;
/** Concurrent keep-alive connections scraping /metrics and /sensor. */
const LOAD_CONNECTIONS = 4;
/**
 * Every scrape job the stack always has: components.ts names the jobs after the components.
 * vmagent's job is there too when the verified config has remote_write endpoints.
 */
const STACK_JOBS = stackComponentNames(false);

const DASHBOARD_RANGE_S = 15 * 60;
const DASHBOARD_STEP_S = 15;
const DASHBOARD_REFRESH_MS = 1000;

export interface VerifySettings {
  memoryBytes: number;
  cpus: number;
  durationMs: number;
  budgetBytes: number;
  /** Passed on to `edgewatch up`, so the user's own configuration is what gets verified. */
  configFile: string;
}

export async function runVerify(
  settings: VerifySettings,
  log: Logger,
  signal?: AbortSignal,
): Promise<VerifyReport> {
  // Read first: a missing dashboard build fails before any cgroup exists.
  const dashboardQueries = readDashboardQueries();
  const cgroup = await Cgroup.create({
    name: `edgewatch-verify-${process.pid}`,
    memoryBytes: settings.memoryBytes,
    cpus: settings.cpus,
  });
  let dataDir: string | undefined;
  let stack: StackProcess | undefined;
  let sink: UplinkSink | undefined;
  try {
    dataDir = await mkdtemp(join(tmpdir(), 'edgewatch-verify-'));
    sink = await sinkRemoteWrite(settings.configFile, dataDir);
    const [web, vm, vmalert, vmagent] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const edgewatchUrl = `http://127.0.0.1:${web}`;
    const vmUrl = `http://127.0.0.1:${vm}`;
    const args = upArguments(
      { ...settings, configFile: sink.configFile },
      { web, vm, vmalert, vmagent, dataDir },
    );
    log.info('starting the stack in a cgroup', {
      cgroup: cgroup.memoryDir,
      command: `${edgewatchBin} ${args.join(' ')}`,
    });

    const started = performance.now();
    stack = spawnInCgroup(cgroup, edgewatchBin, args);
    const sampler = new MemorySampler(cgroup, SAMPLE_INTERVAL_MS);
    sampler.start();
    try {
      await waitHealthy(
        [`${edgewatchUrl}/readyz`, `${vmUrl}/health`, `http://127.0.0.1:${vmalert}/health`],
        stack,
        signal,
      );
      log.info('stack healthy, driving load', { ms: Math.round(performance.now() - started) });

      const loadStartEpochMs = Date.now();
      const loadStart = performance.now();
      const until = loadStart + settings.durationMs;
      const [scrapes, queries] = await Promise.all([
        scrapeLoad({
          baseUrl: edgewatchUrl,
          paths: ['/metrics', '/sensor'],
          connections: LOAD_CONNECTIONS,
          until,
          signal,
        }),
        queryLoad({
          baseUrl: vmUrl,
          queries: dashboardQueries,
          rangeSeconds: DASHBOARD_RANGE_S,
          stepSeconds: DASHBOARD_STEP_S,
          intervalMs: DASHBOARD_REFRESH_MS,
          until,
          signal,
        }),
      ]);
      const seconds = (performance.now() - loadStart) / 1000;
      interrupted(signal);
      const scrapeHealth = await checkScrapes(vmUrl, loadStartEpochMs);
      const memory = await sampler.stop();
      return judge({
        limits: {
          memoryBytes: settings.memoryBytes,
          cpus: settings.cpus,
          durationSeconds: settings.durationMs / 1000,
          budgetBytes: settings.budgetBytes,
        },
        cgroupVersion: cgroup.version,
        memory,
        load: {
          seconds,
          connections: LOAD_CONNECTIONS,
          scrapes: { ...scrapes, perSecond: (scrapes.ok + scrapes.failed) / seconds },
          queries: { ...queries, perSecond: (queries.ok + queries.failed) / seconds },
        },
        scrapeHealth,
      });
    } finally {
      await sampler.stop().catch(() => undefined);
    }
  } finally {
    await stack?.stop(STOP_GRACE_MS);
    if (sink?.endpoints)
      log.info('remote_write went to a loopback sink', { endpoints: sink.endpoints, ...sink.received() });
    await sink?.close();
    await cgroup.remove().catch((err: unknown) => log.error('cgroup left behind', { error: String(err) }));
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

/** `up` on our ports, storage and scrape interval; budget and config file as the user set them. */
function upArguments(
  settings: VerifySettings,
  {
    web,
    vm,
    vmalert,
    vmagent,
    dataDir,
  }: { web: number; vm: number; vmalert: number; vmagent: number; dataDir: string },
): string[] {
  const flag = (option: Option, value: string) => `${flagName(option)}=${value}`;
  return [
    'up',
    flag(webOptions.listenAddress, `127.0.0.1:${web}`),
    flag(victoriaMetricsOptions.listenAddress, `127.0.0.1:${vm}`),
    flag(vmalertOptions.listenAddress, `127.0.0.1:${vmalert}`),
    // Used only when the verified config has remote_write endpoints.
    flag(vmagentOptions.listenAddress, `127.0.0.1:${vmagent}`),
    flag(commonOptions.dataPath, dataDir),
    flag(scrapeOptions.interval, formatDuration(SCRAPE_INTERVAL_MS)),
    flag(budgetOptions.memory, String(settings.budgetBytes)),
    flag(commonOptions.logLevel, 'warn'),
    ...(settings.configFile === '' ? [] : [flag(configFileOptions.file, settings.configFile)]),
  ];
}

/** Polls until every URL answers 200. Throws COMPONENT_START with edgewatch's last output if it exits or times out. */
async function waitHealthy(
  urls: readonly string[],
  stack: StackProcess,
  signal: AbortSignal | undefined,
): Promise<void> {
  const deadline = performance.now() + STARTUP_TIMEOUT_MS;
  let exit: string | undefined;
  void stack.exited.then((how) => {
    exit = how;
  });
  for (;;) {
    interrupted(signal);
    const healthy = await Promise.all(urls.map((url) => probeHealth(url, 1000)));
    if (healthy.every(Boolean)) return;
    const reason =
      exit !== undefined
        ? `edgewatch up ended before the stack was healthy (${exit})`
        : performance.now() > deadline
          ? `the stack was not healthy within ${STARTUP_TIMEOUT_MS / 1000} s (${urls.filter((_, i) => !healthy[i]).join(', ')} not answering 200)`
          : undefined;
    if (reason) {
      throw new EdgewatchError(
        ErrorCode.COMPONENT_START,
        `${reason}. Last output of edgewatch up:\n${stack.output.last(40).join('\n')}`,
      );
    }
    await sleep(250);
  }
}

export class VerifyInterrupted extends Error {}

function interrupted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new VerifyInterrupted('verify interrupted');
}

/**
 * VictoriaMetrics' view of its scrapes since the load began (earlier, a component that was still
 * starting may rightly have failed one): the lowest `up` per job, 0 when a single scrape failed,
 * and whether scrape_samples_scraped was recorded. Waits up to a few scrape intervals for every
 * job to have a searchable scrape in the window. VictoriaMetrics not answering (OOM-killed, say)
 * is a finding, not a crash of verify.
 */
async function checkScrapes(vmUrl: string, sinceEpochMs: number): Promise<ScrapeHealth> {
  const deadline = performance.now() + 3 * SCRAPE_INTERVAL_MS + 5000;
  for (;;) {
    const windowSeconds = Math.max(1, Math.floor((Date.now() - sinceEpochMs) / 1000));
    let health: ScrapeHealth;
    try {
      const minUp = await instantQuery(vmUrl, `min by (job) (min_over_time(up[${windowSeconds}s]))`);
      const samples = await instantQuery(vmUrl, 'scrape_samples_scraped');
      const minUpByJob = Object.fromEntries(minUp.map((s) => [s.metric.job ?? '', Number(s.value[1])]));
      const missingJobs = STACK_JOBS.filter((job) => !(job in minUpByJob));
      health = { minUpByJob, missingJobs, samplesScrapedSeries: samples.length };
    } catch (err) {
      health = {
        minUpByJob: {},
        missingJobs: [...STACK_JOBS],
        samplesScrapedSeries: 0,
        error: errorMessage(err),
      };
    }
    const complete = health.missingJobs.length === 0 && health.samplesScrapedSeries > 0;
    if (complete || performance.now() > deadline) return health;
    await sleep(500);
  }
}

interface InstantSample {
  metric: Record<string, string>;
  value: [number, string];
}

/**
 * An instant query at this moment. `nocache=1` also stops VictoriaMetrics from moving a query
 * for "now" back by -search.latencyOffset, which would shift the window before the load began.
 */
function instantQuery(vmUrl: string, query: string): Promise<InstantSample[]> {
  const params = new URLSearchParams({ query, time: String(Date.now() / 1000), nocache: '1' });
  const url = `${vmUrl}/api/v1/query?${params}`;
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: false, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
            data?: { result?: InstantSample[] };
          };
          if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
          resolve(body.data?.result ?? []);
        } catch (err) {
          reject(new Error(`VictoriaMetrics query ${query} failed: ${String(err)}`));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`VictoriaMetrics query ${query}: no answer within 10 s`)));
    req.on('error', reject);
  });
}
