/**
 * Every PromQL expression of the built-in dashboard (dist/dashboard/queries.json, from
 * dashboard/src/queries.ts) and of the Grafana dashboard (deploy/grafana/dashboards/edgewatch.json)
 * returns data from a real VictoriaMetrics that scrapes a running `edgewatch sensor`. A misspelt
 * metric or label name returns an empty result, which fails here instead of drawing an empty
 * chart in the field.
 *
 * Queries marked `needs: 'stack'` (component memory, the budget) exist only under `edgewatch up`;
 * they are skipped here and run by the full-stack test.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { repoRoot } from '../helpers/edgewatch.js';
import { waitFor } from '../helpers/wait.js';
import {
  type DashboardQuery,
  dashboardQueries,
  harnessUnavailable,
  rangeQuerySeries,
  type SensorHarness,
  startSensorHarness,
} from './harness.js';

const grafanaPath = join(repoRoot, 'deploy', 'grafana', 'dashboards', 'edgewatch.json');
const stackSkip = 'needs the full stack (edgewatch up): run by the full-stack test';

interface GrafanaDashboard {
  panels: Array<{ title: string; datasource?: { uid?: string }; targets?: Array<{ expr: string }> }>;
  templating: { list: Array<{ name: string; definition: string }> };
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
const promqlWords = new Set(['and', 'or', 'unless', 'bool', 'offset']);

/** Metric names in an expression: identifiers outside {…}, […] and label lists that are not calls. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/\{[^}]*\}|\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  return [...bare.matchAll(/\b[a-zA-Z_:][a-zA-Z0-9_:]*\b(?!\s*\()/g)]
    .map((m) => m[0])
    .filter((name) => !promqlWords.has(name));
}

/** Metric names that exist only under the full stack, taken from the built-in dashboard's marks. */
const stackMetrics = new Set(queries.filter((q) => q.needs === 'stack').flatMap((q) => metricNames(q.expr)));
const needsStack = (expr: string) => metricNames(expr).some((name) => stackMetrics.has(name));

describe('dashboard queries return data', { skip: unavailable }, () => {
  let harness: SensorHarness;

  before(async () => {
    harness = await startSensorHarness();
  });

  after(async () => {
    await harness?.stop();
  });

  /** Polls for a while: rate() needs two samples, and new series take a second to be searchable. */
  const assertHasData = (expr: string) =>
    waitFor(
      `a non-empty result for ${expr}`,
      async () => (await rangeQuerySeries(harness.vm, expr)) > 0,
      20_000,
      500,
    );

  for (const q of queries) {
    test(`built-in ${q.chart}: ${q.expr}`, { skip: q.needs === 'stack' ? stackSkip : false }, async () => {
      await assertHasData(q.expr);
    });
  }

  for (const panel of grafana.panels) {
    for (const target of panel.targets ?? []) {
      const expr = substituteGrafanaVariables(target.expr);
      test(`grafana "${panel.title}": ${expr}`, { skip: needsStack(expr) ? stackSkip : false }, async () => {
        await assertHasData(expr);
      });
    }
  }

  for (const variable of grafana.templating.list) {
    test(`grafana variable ${variable.name}: ${variable.definition}`, async () => {
      const { selector, label } = parseLabelValues(substituteGrafanaVariables(variable.definition));
      const url = `${harness.vm.url}/api/v1/label/${label}/values?${new URLSearchParams({ 'match[]': selector })}`;
      await waitFor(`values for ${variable.definition}`, async () => {
        const body = (await (await fetch(url)).json()) as { data: string[] };
        return body.data.filter((v) => v !== '').length > 0;
      });
    });
  }
});

describe('Grafana dashboard structure', () => {
  test('every panel uses the edgewatch-vm data source and has the device and sensor variables', () => {
    for (const panel of grafana.panels) assert.equal(panel.datasource?.uid, 'edgewatch-vm', panel.title);
    assert.deepEqual(
      grafana.templating.list.map((v) => v.name),
      ['device', 'sensor'],
    );
  });

  test('metric names are found in expressions', () => {
    assert.deepEqual(metricNames('sum(edgewatch_component_memory_bytes{kind="pss"})'), [
      'edgewatch_component_memory_bytes',
    ]);
    assert.deepEqual(
      metricNames(
        'rate(sensor_read_errors_total{device=~".*"}[1m]) and on (source, device) sensor_info{name=~".*"}',
      ),
      ['sensor_read_errors_total', 'sensor_info'],
    );
  });

  test('variable substitution', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's ${name} variable syntax
    const expr = 'rate(x{device=~"$device",n=~"${sensor}"}[$__rate_interval])';
    assert.equal(substituteGrafanaVariables(expr), 'rate(x{device=~".*",n=~".*"}[1m])');
  });
});
