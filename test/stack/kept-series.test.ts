/**
 * Slimming the stored series (src/stack/kept-series.ts): in a real `edgewatch up`, every metric
 * name any shipped rule, built-in dashboard query or Grafana panel reads exists in
 * VictoriaMetrics, and of VictoriaMetrics' and vmalert's own /metrics nothing but the kept names
 * is stored (no vm_*, vmalert_*, go_*, flag noise).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import type { NumberOption } from '../../src/config/option.js';
import {
  KEPT_SERIES,
  SCRAPE_GENERATED_SERIES,
  type SlimmedJob,
  selfScrapeIntervalMs,
} from '../../src/stack/kept-series.js';
import { readRulesTemplate, renderRules, ruleOptions } from '../../src/stack/rules.js';
import { dashboardQueries, harnessUnavailable, startDashboardStack } from '../dashboard/harness.js';
import { repoRoot } from '../helpers/edgewatch.js';
import { httpGet } from '../helpers/net.js';
import { promqlMetricNames } from '../helpers/promql-names.js';
import type { StackUnderTest } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait.js';

function ruleExpressions(): string[] {
  const defaults = new Map<NumberOption, number>(Object.values(ruleOptions).map((o) => [o, o.default]));
  const rendered = parse(renderRules(readRulesTemplate(), defaults)) as {
    groups: Array<{ rules: Array<{ expr: string }> }>;
  };
  return rendered.groups.flatMap((g) => g.rules.map((r) => r.expr));
}

function grafanaExpressions(): string[] {
  const file = join(repoRoot, 'deploy', 'grafana', 'dashboards', 'edgewatch.json');
  const dashboard = JSON.parse(readFileSync(file, 'utf8')) as {
    panels: Array<{ targets?: Array<{ expr: string }> }>;
  };
  return dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
}

/** Metric names of the series VictoriaMetrics has stored that match `selector`. */
async function storedNames(vmUrl: string, selector: string): Promise<Set<string>> {
  const start = Math.floor(Date.now() / 1000) - 3600;
  const res = await httpGet(
    `${vmUrl}/api/v1/series?${new URLSearchParams({ 'match[]': selector, start: String(start) })}`,
  );
  assert.equal(res.status, 200, res.body);
  const series = (JSON.parse(res.body) as { data: Array<Record<string, string>> }).data;
  return new Set(series.map((s) => s.__name__ as string));
}

describe('promqlMetricNames', () => {
  it('finds the metric names of an expression, not its functions, labels, keywords or numbers', () => {
    assert.deepEqual(
      promqlMetricNames(
        'predict_linear(node_filesystem_avail_bytes[6h], 24 * 3600) < 0 and node_filesystem_avail_bytes / node_filesystem_size_bytes{mountpoint="/x"} < 0.4',
      ),
      ['node_filesystem_avail_bytes', 'node_filesystem_size_bytes'],
    );
    assert.deepEqual(
      promqlMetricNames(
        'sensor_temperature_celsius{source!="thermal"} > 40 unless on(source, device) sensor_info{name=~"(?i).*(cpu).*"}',
      ),
      ['sensor_temperature_celsius', 'sensor_info'],
    );
    assert.deepEqual(promqlMetricNames('max by (job) (scrape_duration_seconds) offset 5m'), [
      'scrape_duration_seconds',
    ]);
    assert.deepEqual(promqlMetricNames('absent(up)'), ['up']);
  });
});

describe('selfScrapeIntervalMs', () => {
  it('scrapes VictoriaMetrics and vmalert every 4th scrape, at most every 60 s, a multiple of the interval', () => {
    assert.equal(selfScrapeIntervalMs(15_000), 60_000);
    assert.equal(selfScrapeIntervalMs(1000), 4000);
    assert.equal(selfScrapeIntervalMs(25_000), 50_000);
    assert.equal(selfScrapeIntervalMs(60_000), 60_000);
    assert.equal(selfScrapeIntervalMs(120_000), 120_000);
  });
});

const unavailable = harnessUnavailable();

describe('the slimmed stack keeps every series the rules and dashboards read', {
  skip: unavailable,
  timeout: 90_000,
}, () => {
  let stack: StackUnderTest;
  const referenced = new Set<string>();

  before(async () => {
    const exprs = [
      ...ruleExpressions(),
      ...(await dashboardQueries()).map((q) => q.expr),
      ...grafanaExpressions(),
    ];
    for (const expr of exprs) for (const name of promqlMetricNames(expr)) referenced.add(name);
    // The uplink rules' series exist only with remote_write endpoints (vmagent running); the
    // uplink tests (test/uplink/refusing-central, outage) read them from a real stack that has one.
    for (const name of referenced) if (name.startsWith('edgewatch_uplink_')) referenced.delete(name);
    stack = await startDashboardStack();
  });

  after(async () => {
    await stack?.cleanup();
  });

  it('has every metric name a rule or a dashboard query reads', async () => {
    assert.ok(referenced.size > 10, `names found: ${[...referenced].join(', ')}`);
    // A fresh VictoriaMetrics makes new series searchable only after up to ~10 s.
    const missing = await waitFor(
      'every referenced name in VictoriaMetrics',
      async () => {
        const stored = await storedNames(stack.vmUrl, '{__name__=~".+"}');
        const absent = [...referenced].filter((name) => !stored.has(name));
        return absent.length === 0 ? absent : undefined;
      },
      45_000,
      500,
    ).catch(async () => {
      const stored = await storedNames(stack.vmUrl, '{__name__=~".+"}');
      return [...referenced].filter((name) => !stored.has(name));
    });
    assert.deepEqual(missing, [], 'names referenced but not stored');
  });

  for (const job of Object.keys(KEPT_SERIES) as SlimmedJob[]) {
    it(`stores nothing of ${job}'s own /metrics beyond the kept names`, async () => {
      const allowed = new Set<string>([...SCRAPE_GENERATED_SERIES, ...KEPT_SERIES[job].map((k) => k.name)]);
      // Once `up` is stored, the scrape it came from was stored too (rows of one scrape land together).
      const stored = await waitFor(
        `a stored scrape of ${job}`,
        async () => {
          const names = await storedNames(stack.vmUrl, `{job="${job}"}`);
          return names.has('up') && names.has('scrape_samples_scraped') ? names : undefined;
        },
        45_000,
        500,
      );
      assert.deepEqual(
        [...stored].filter((name) => !allowed.has(name)),
        [],
        `${job} series stored that nothing reads`,
      );
      // And the target does export the noise that was dropped: the filter, not an empty target, did it.
      const scraped = await httpGet(
        `${stack.vmUrl}/api/v1/query?query=${encodeURIComponent(`scrape_samples_scraped{job="${job}"}`)}`,
      );
      const value = Number(
        (JSON.parse(scraped.body) as { data: { result: Array<{ value: [number, string] }> } }).data.result[0]
          ?.value[1],
      );
      assert.ok(value > 100, `${job} exported ${value} samples per scrape`);
    });
  }
});
