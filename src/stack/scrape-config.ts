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
      'How often VictoriaMetrics (or vmagent, with remote_write endpoints) scrapes edgewatch, itself and vmalert. Keep it at least sensor.interval: scraping faster only stores the same cached reading twice.',
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
    lines.push(`  - job_name: ${JSON.stringify(target.job)}`);
    if (target.bearerTokenFile !== undefined) {
      lines.push(`    bearer_token_file: ${JSON.stringify(target.bearerTokenFile)}`);
    }
    lines.push('    static_configs:', `      - targets: [${JSON.stringify(target.address)}]`);
  }
  return `${lines.join('\n')}\n`;
}
