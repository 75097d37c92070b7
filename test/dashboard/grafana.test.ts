/**
 * The shipped Grafana dashboard is the one dashboard/src/grafana.ts builds from the built-in
 * dashboard's queries (the build writes it to dist/dashboard/grafana.json), so the two cannot
 * drift; it takes its data source from a variable and `__inputs`, and colours nothing by a
 * threshold the box does not use. Its queries return data: queries.test.ts, against edgewatch up.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { grafanaExpr } from '../../dashboard/src/grafana.js';
import { charts } from '../../dashboard/src/queries.js';
import { repoRoot } from '../helpers/edgewatch.js';
import { dashboardDist } from './harness.js';

interface Target {
  expr: string;
  datasource?: { uid?: string };
}
interface GrafanaPanel {
  title: string;
  datasource?: { type?: string; uid?: string };
  fieldConfig?: {
    defaults?: { unit?: string; thresholds?: { steps: Array<{ color: string; value: number | null }> } };
  };
  targets?: Target[];
}
interface Export {
  __inputs: Array<{ name: string; type: string; pluginId: string }>;
  panels: GrafanaPanel[];
  templating: { list: Array<{ name: string; type: string; query?: unknown }> };
}

const shippedPath = join(repoRoot, 'deploy', 'grafana', 'dashboards', 'edgewatch.json');
const shipped = JSON.parse(readFileSync(shippedPath, 'utf8')) as Export;
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's ${name} variable syntax
const dsVariable = '${datasource}';

describe('Grafana dashboard built from the built-in queries', () => {
  test('the shipped file is what grafana.ts builds', () => {
    const built = readFileSync(join(dashboardDist, 'grafana.json'), 'utf8');
    assert.equal(
      readFileSync(shippedPath, 'utf8'),
      built,
      `deploy/grafana/dashboards/edgewatch.json is stale: cp dist/dashboard/grafana.json ${shippedPath}`,
    );
  });

  test('every built-in query is a Grafana target, variables applied', () => {
    const exprs = new Set(shipped.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)));
    for (const chart of charts) {
      for (const q of chart.queries)
        assert.ok(exprs.has(grafanaExpr(q.expr, q.scale)), `${chart.id}: ${q.expr}`);
    }
    assert.equal(
      grafanaExpr('rate(sensor_read_errors_total[5m])', undefined),
      'rate(sensor_read_errors_total{device=~"$device"}[$__rate_interval]) and on (source, device) sensor_info{name=~"$sensor"}',
    );
    assert.equal(
      grafanaExpr('max by (job) (scrape_duration_seconds)', undefined),
      'max by (job) (scrape_duration_seconds)',
    );
  });

  test('the data source is a variable, offered to an import through __inputs', () => {
    assert.deepEqual(
      shipped.__inputs.map((i) => [i.type, i.pluginId]),
      [['datasource', 'prometheus']],
    );
    const variable = shipped.templating.list.find((v) => v.name === 'datasource');
    assert.deepEqual([variable?.type, variable?.query], ['datasource', 'prometheus']);
    for (const panel of shipped.panels) {
      assert.equal(panel.datasource?.uid, dsVariable, panel.title);
      for (const t of panel.targets ?? []) assert.equal(t.datasource?.uid, dsVariable, panel.title);
    }
    assert.doesNotMatch(
      JSON.stringify(shipped),
      /edgewatch-vm|127\.0\.0\.1|8428/,
      'no data source by name or address',
    );
  });

  test('no fixed temperature thresholds, errors not labelled as requests, host and alert panels present', () => {
    for (const panel of shipped.panels)
      assert.equal(panel.fieldConfig?.defaults?.thresholds, undefined, panel.title);
    const errors = shipped.panels.find((p) => p.title === 'Errors');
    assert.equal(errors?.fieldConfig?.defaults?.unit, 'cps');
    assert.doesNotMatch(JSON.stringify(shipped), /reqps/);
    const titles = shipped.panels.map((p) => p.title);
    for (const t of ['CPU busy', 'Memory used', 'Disk used', 'Uptime', 'Alerts firing', 'Firing alerts'])
      assert.ok(titles.includes(t), t);
  });
});
