/**
 * Every PromQL expression of the built-in dashboard (dist/dashboard/queries.json, from
 * dashboard/src/queries.ts) and of the Grafana dashboard (deploy/grafana/dashboards/edgewatch.json,
 * Grafana's variables substituted) returns data from a whole `edgewatch up`: real
 * VictoriaMetrics and vmalert, asked through edgewatch's query proxy as the page asks. A misspelt
 * metric or label name returns an empty result, which fails here instead of drawing an empty
 * chart in the field. Nothing is skipped: the stack-only series (component memory, the budget)
 * exist here.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { repoRoot } from '../helpers/edgewatch.js';
import type { StackUnderTest } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait.js';
import {
  type DashboardQuery,
  dashboardHostQueries,
  dashboardQueries,
  harnessUnavailable,
  rangeQuerySeries,
  startDashboardStack,
} from './harness.js';

const grafanaPath = join(repoRoot, 'deploy', 'grafana', 'dashboards', 'edgewatch.json');

interface GrafanaDashboard {
  panels: Array<{ title: string; datasource?: { uid?: string }; targets?: Array<{ expr: string }> }>;
  templating: { list: Array<{ name: string; type: string; definition?: string }> };
}

const grafana = JSON.parse(readFileSync(grafanaPath, 'utf8')) as GrafanaDashboard;

/** Grafana's variables as a Grafana with "All" selected would send them. */
function substituteGrafanaVariables(expr: string): string {
  return expr
    .replace(/\$__rate_interval|\$\{__rate_interval\}/g, '1m')
    .replace(/\$__interval|\$\{__interval\}/g, '15s')
    .replace(/\$__range|\$\{__range\}/g, '1h')
    .replace(/\$\{?(device|sensor)\}?/g, '.*');
}

/** `label_values(selector, label)`, the form of the template variable queries. */
function parseLabelValues(definition: string): { selector: string; label: string } {
  const m = /^label_values\((.+),\s*(\w+)\)$/.exec(definition.trim());
  assert.ok(m, `unexpected variable query ${definition}`);
  return { selector: m[1] as string, label: m[2] as string };
}

const unavailable = harnessUnavailable();
const queries: DashboardQuery[] = unavailable ? [] : await dashboardQueries();
const hostQueries = unavailable ? [] : await dashboardHostQueries();

describe('dashboard queries return data from edgewatch up', { skip: unavailable, timeout: 90_000 }, () => {
  let stack: StackUnderTest;

  before(async () => {
    stack = await startDashboardStack();
  });

  after(async () => {
    await stack?.cleanup();
  });

  /**
   * Polls: a fresh VictoriaMetrics makes new series searchable only after up to ~10 s, and rate()
   * needs two samples. The first test waits for that; the rest find their data at once.
   */
  const assertHasData = (expr: string) =>
    waitFor(
      `a non-empty result for ${expr}`,
      async () => (await rangeQuerySeries(stack.webUrl, expr)) > 0,
      30_000,
      500,
    );

  for (const q of queries) {
    test(`built-in ${q.chart}${q.needs === 'stack' ? ' (stack only)' : ''}: ${q.expr}`, async () => {
      await assertHasData(q.expr);
    });
  }

  test('the host figures of Now are in the build', () => {
    assert.deepEqual(
      hostQueries.map((q) => q.id),
      ['cpu', 'memory_used', 'memory_total', 'disk_size', 'disk_avail', 'load1', 'load5', 'load15', 'uptime'],
    );
  });

  for (const q of hostQueries) {
    test(`built-in host ${q.id}: ${q.expr}`, async () => {
      await assertHasData(q.expr);
    });
  }

  for (const panel of grafana.panels) {
    for (const target of panel.targets ?? []) {
      const expr = substituteGrafanaVariables(target.expr);
      test(`grafana "${panel.title}": ${expr}`, async () => {
        await assertHasData(expr);
      });
    }
  }

  // The data source variable lists data sources, not label values: grafana.test.ts checks it.
  for (const variable of grafana.templating.list.filter((v) => v.type === 'query')) {
    const definition = variable.definition ?? '';
    test(`grafana variable ${variable.name}: ${definition}`, async () => {
      const { selector, label } = parseLabelValues(substituteGrafanaVariables(definition));
      const url = `${stack.webUrl}/api/v1/label/${label}/values?${new URLSearchParams({ 'match[]': selector })}`;
      const values = await waitFor(
        `values for ${definition}`,
        async () => {
          const body = (await (await fetch(url)).json()) as { data: string[] };
          const found = body.data.filter((v) => v !== '');
          return found.length > 0 ? found : undefined;
        },
        30_000,
        500,
      );
      // Both sensors: the fake BME280 on IIO and the simulated one.
      if (label === 'device') assert.deepEqual([...values].sort(), ['iio:device0', 'sim0']);
      if (label === 'name') assert.deepEqual([...values].sort(), ['bme280', 'simulated']);
    });
  }
});

describe('Grafana dashboard structure', () => {
  test('every panel uses the data source variable and has the device and sensor variables', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's ${name} variable syntax
    for (const panel of grafana.panels) assert.equal(panel.datasource?.uid, '${datasource}', panel.title);
    assert.deepEqual(
      grafana.templating.list.map((v) => v.name),
      ['datasource', 'device', 'sensor'],
    );
  });

  test('variable substitution', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's ${name} variable syntax
    const expr = 'rate(x{device=~"$device",n=~"${sensor}"}[$__rate_interval])';
    assert.equal(substituteGrafanaVariables(expr), 'rate(x{device=~".*",n=~".*"}[1m])');
  });
});
