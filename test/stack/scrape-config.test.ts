/**
 * The rendered -promscrape.config: aligned scrapes on every job, the slimmed jobs' own interval
 * and metric_relabel_configs, accepted by the real VictoriaMetrics (-promscrape.config.dryRun
 * denies unknown fields, so a field 1.79 does not know fails here).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { renderScrapeConfig } from '../../src/stack/scrape-config.js';

interface Job {
  job_name: string;
  scrape_interval?: string;
  scrape_align_interval?: string;
  metric_relabel_configs?: Array<{ source_labels: string[]; action: string; regex: string }>;
}

const rendered = renderScrapeConfig(15_000, [
  { job: 'edgewatch', address: '127.0.0.1:9300', bearerTokenFile: '/tmp/token' },
  { job: 'victoriametrics', address: '127.0.0.1:8428', intervalMs: 60_000, keepMetrics: [] },
  {
    job: 'vmalert',
    address: '127.0.0.1:8880',
    intervalMs: 60_000,
    keepMetrics: ['vmalert_alerts_send_errors_total', 'a:b'],
  },
]);
const jobs = (parse(rendered) as { scrape_configs: Job[] }).scrape_configs;
const job = (name: string) => jobs.find((j) => j.job_name === name) as Job;

describe('renderScrapeConfig', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'edgewatch-scrape-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('aligns every job to its own interval, so all rows arrive in the same second', () => {
    assert.equal(job('edgewatch').scrape_interval, undefined);
    assert.equal(job('edgewatch').scrape_align_interval, '15s');
    assert.equal(job('victoriametrics').scrape_interval, '1m');
    assert.equal(job('victoriametrics').scrape_align_interval, '1m');
  });

  it('stores nothing of a job with an empty keep list, only the listed names of another, all of the rest', () => {
    assert.equal(job('edgewatch').metric_relabel_configs, undefined);
    assert.deepEqual(job('victoriametrics').metric_relabel_configs, [
      { source_labels: ['__name__'], action: 'drop', regex: '.+' },
    ]);
    assert.deepEqual(job('vmalert').metric_relabel_configs, [
      { source_labels: ['__name__'], action: 'keep', regex: 'vmalert_alerts_send_errors_total|a\\:b' },
    ]);
  });

  it('is accepted by VictoriaMetrics (-promscrape.config.dryRun, unknown fields denied)', async () => {
    const file = join(dir, 'scrape.yml');
    await writeFile(file, rendered);
    const r = spawnSync(
      'victoria-metrics',
      [`-promscrape.config=${file}`, '-promscrape.config.dryRun', '-loggerLevel=ERROR'],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(r.error, undefined, 'victoria-metrics is installed (Debian package victoria-metrics)');
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  });
});
