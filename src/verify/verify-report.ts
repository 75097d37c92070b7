/**
 * The verdict of `edgewatch verify` and its two renderings: a table for people (every figure
 * with its unit; MB are 10^6 bytes, as `docker stats` prints them) and JSON for scripts.
 */
import { formatBytes, megabytes } from '../config/units.js';
import type { LoadCount } from './verify-load.js';
import { type MemoryPeaks, SAMPLE_INTERVAL_MS } from './verify-sampler.js';

export interface ScrapeHealth {
  /** Per scrape job, the lowest `up` over the run: 1 means every scrape succeeded. */
  minUpByJob: Record<string, number>;
  /** Jobs the stack scrapes that have no `up` series at all. */
  missingJobs: string[];
  /** Number of scrape_samples_scraped series: VictoriaMetrics recorded its scrapes. */
  samplesScrapedSeries: number;
  /** Set when VictoriaMetrics could not be asked. */
  error?: string;
}

export interface VerifyReport {
  limits: { memoryBytes: number; cpus: number; durationSeconds: number; budgetBytes: number };
  cgroupVersion: 1 | 2;
  memory: MemoryPeaks;
  load: {
    seconds: number;
    connections: number;
    scrapes: LoadCount & { perSecond: number };
    queries: LoadCount & { perSecond: number };
  };
  scrapeHealth: ScrapeHealth;
  checks: Array<{ name: string; pass: boolean; detail: string }>;
  pass: boolean;
}

export type VerifyMeasurements = Omit<VerifyReport, 'checks' | 'pass'>;

/** Applies the pass criteria: the docker-stats peak within budget.memory, no OOM kill, no failure. */
export function judge(m: VerifyMeasurements): VerifyReport {
  const { memory, load, scrapeHealth, limits } = m;
  const badJobs = Object.entries(scrapeHealth.minUpByJob).filter(([, up]) => up !== 1);
  const checks = [
    {
      name: 'memory',
      pass: memory.workingSetBytes <= limits.budgetBytes,
      detail: `peak ${megabytes(memory.workingSetBytes)} MB (usage − inactive file), budget.memory ${megabytes(limits.budgetBytes)} MB`,
    },
    { name: 'oom_kills', pass: memory.oomKills === 0, detail: `${memory.oomKills} OOM kills` },
    {
      name: 'requests',
      pass: load.scrapes.failed === 0 && load.queries.failed === 0,
      detail: `${load.scrapes.failed + load.queries.failed} failed requests${failures(load.scrapes, load.queries)}`,
    },
    {
      name: 'scrapes',
      pass:
        scrapeHealth.error === undefined &&
        badJobs.length === 0 &&
        scrapeHealth.missingJobs.length === 0 &&
        scrapeHealth.samplesScrapedSeries > 0,
      detail: scrapeDetail(scrapeHealth, badJobs),
    },
  ];
  return { ...m, checks, pass: checks.every((c) => c.pass) };
}

function failures(...counts: LoadCount[]): string {
  const errors = counts.flatMap((c) => c.errors);
  return errors.length === 0 ? '' : `: ${errors.join('; ')}`;
}

function scrapeDetail(health: ScrapeHealth, badJobs: Array<[string, number]>): string {
  if (health.error !== undefined) return `VictoriaMetrics could not be queried: ${health.error}`;
  const problems = [
    ...badJobs.map(([job]) => `job ${job} had failed scrapes (up=0)`),
    ...health.missingJobs.map((job) => `job ${job} never scraped`),
    ...(health.samplesScrapedSeries === 0 ? ['no scrape_samples_scraped series'] : []),
  ];
  return problems.length > 0 ? problems.join('; ') : 'every scrape of every job succeeded';
}

const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');
const rate = (n: number) => `${n.toFixed(1)}/s`;

export function formatReport(report: VerifyReport): string {
  const { limits, memory, load, scrapeHealth } = report;
  const check = (name: string) => verdict(report.checks.find((c) => c.name === name)?.pass ?? false);
  const rows: Array<[string, string, string]> = [
    [
      'Memory peak, usage − inactive file (docker stats)',
      `${megabytes(memory.workingSetBytes)} MB of budget ${megabytes(limits.budgetBytes)} MB`,
      check('memory'),
    ],
    [
      `Memory peak, raw with page cache (${memory.rawPeakSource === 'kernel' ? 'kernel' : 'sampled'})`,
      `${megabytes(memory.rawPeakBytes)} MB`,
      '',
    ],
    ...Object.entries(memory.componentPssBytes)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([component, pss]): [string, string, string] => [
        `PSS peak, ${component}`,
        `${megabytes(pss)} MB`,
        '',
      ]),
    ['PSS peak, sum of components', `${megabytes(memory.pssSumBytes)} MB`, ''],
    ['OOM kills', String(memory.oomKills), check('oom_kills')],
    [
      `Requests to /metrics and /sensor (${load.connections} connections)`,
      `${load.scrapes.ok} ok, ${load.scrapes.failed} failed, ${rate(load.scrapes.perSecond)}`,
      '',
    ],
    [
      'Dashboard range queries to VictoriaMetrics',
      `${load.queries.ok} ok, ${load.queries.failed} failed, ${rate(load.queries.perSecond)}`,
      check('requests'),
    ],
    [
      'VictoriaMetrics scrapes (lowest up per job)',
      Object.entries(scrapeHealth.minUpByJob)
        .map(([job, up]) => `${job}=${up}`)
        .join(' ') || 'none',
      check('scrapes'),
    ],
  ];
  const labelWidth = Math.max(...rows.map(([label]) => label.length));
  const valueWidth = Math.max(...rows.map(([, value]) => value.length));
  const lines = [
    `edgewatch verify: ${load.seconds.toFixed(0)} s of load under a ${formatBytes(limits.memoryBytes)} memory limit and ${limits.cpus} CPU${limits.cpus === 1 ? '' : 's'} (cgroup v${report.cgroupVersion})`,
    `MB = 10^6 bytes. Memory sampled every ${SAMPLE_INTERVAL_MS} ms from start-up on. PSS shares out file pages`,
    '(node, the binaries) that the cgroup is not charged for when they were already cached, so PSS can exceed it.',
    '',
    ...rows.map(([label, value, result]) =>
      `  ${label.padEnd(labelWidth)}  ${value.padEnd(valueWidth)}  ${result}`.trimEnd(),
    ),
    '',
    ...report.checks.filter((c) => !c.pass).map((c) => `FAIL ${c.name}: ${c.detail}`),
    `Result: ${verdict(report.pass)}`,
    '',
  ];
  return lines.join('\n');
}
