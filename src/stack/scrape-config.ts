/**
 * VictoriaMetrics' -promscrape.config: what the stack scrapes. Written by hand rather than with
 * the yaml package: the shape is fixed, every value is a JSON string (valid YAML), and the yaml
 * module would be loaded into the long-running process only for this.
 */
import { defineOptions } from '../config/option.js';
import { formatDuration } from '../config/units.js';

export const scrapeOptions = defineOptions({
  interval: {
    name: 'vm.scrape-interval',
    kind: 'duration',
    default: 15_000,
    min: 1000,
    max: 300_000,
    description:
      "How often VictoriaMetrics (or vmagent, with remote_write endpoints) scrapes edgewatch; itself and vmalert every 4th time, at most every 60s (of those only up and scrape_* are stored). Scrapes are aligned to whole multiples of it, so all jobs' samples reach the disk in one write. Keep it at least sensor.interval: scraping faster only stores the same cached reading twice.",
  },
});

/** Scrapes give up after this, or after one interval when that is shorter (Prometheus' rule). */
const MAX_SCRAPE_TIMEOUT_MS = 10_000;

export interface ScrapeTarget {
  /** The `job` label: a component's name (COMPONENT_NAMES in the budget plan). */
  readonly job: string;
  /** host:port. */
  readonly address: string;
  /** When /metrics needs credentials: the file holding the bearer token. */
  readonly bearerTokenFile?: string;
  /** This job's own interval; default: the global one. */
  readonly intervalMs?: number;
  /**
   * When set, only these metric names of the target's /metrics are stored (kept-series.ts); an
   * empty list stores none of them. The scraper's own series (up, scrape_*) are kept either way.
   */
  readonly keepMetrics?: readonly string[];
}

export function renderScrapeConfig(intervalMs: number, targets: readonly ScrapeTarget[]): string {
  const lines = [
    '# Written by edgewatch up at every start; edits are overwritten.',
    'global:',
    `  scrape_interval: ${formatDuration(intervalMs)}`,
    `  scrape_timeout: ${formatDuration(Math.min(intervalMs, MAX_SCRAPE_TIMEOUT_MS))}`,
    'scrape_configs:',
  ];
  for (const target of targets) {
    const jobInterval = target.intervalMs ?? intervalMs;
    lines.push(`  - job_name: ${JSON.stringify(target.job)}`);
    if (target.intervalMs !== undefined) {
      lines.push(
        `    scrape_interval: ${formatDuration(jobInterval)}`,
        `    scrape_timeout: ${formatDuration(Math.min(jobInterval, MAX_SCRAPE_TIMEOUT_MS))}`,
      );
    }
    // Every job scrapes at whole multiples of its interval since the epoch, so all jobs' rows
    // arrive in the same second. VictoriaMetrics 1.79 writes a new part to disk (several fsyncs,
    // an ext4 journal commit) for every second that brings rows, whatever their number: spread
    // scrapes cost a flush each (issue 12: ~7 → ~4.5 GB a day reaching the device from this alone).
    lines.push(`    scrape_align_interval: ${formatDuration(jobInterval)}`);
    if (target.bearerTokenFile !== undefined) {
      lines.push(`    bearer_token_file: ${JSON.stringify(target.bearerTokenFile)}`);
    }
    if (target.keepMetrics !== undefined) lines.push(...keepRules(target.keepMetrics));
    lines.push('    static_configs:', `      - targets: [${JSON.stringify(target.address)}]`);
  }
  return `${lines.join('\n')}\n`;
}

/** metric_relabel_configs storing only `names` (regexes are anchored by VictoriaMetrics). */
function keepRules(names: readonly string[]): string[] {
  const rule =
    names.length === 0
      ? ['        action: drop', `        regex: ${JSON.stringify('.+')}`]
      : [
          '        action: keep',
          `        regex: ${JSON.stringify(names.map((n) => n.replace(/[^A-Za-z0-9_]/g, '\\$&')).join('|'))}`,
        ];
  return ['    metric_relabel_configs:', '      - source_labels: [__name__]', ...rule];
}
