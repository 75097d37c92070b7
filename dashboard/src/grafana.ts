/**
 * The Grafana dashboard (deploy/grafana/dashboards/edgewatch.json), built from the same query
 * definitions as the built-in dashboard (queries.ts), so the two cannot drift, and typed with
 * @grafana/schema. The build writes it to dist/dashboard/grafana.json; test/dashboard/grafana.test.ts
 * fails when the shipped file differs from it.
 *
 * The data source is a variable (`$datasource`, any Prometheus-type source): a Grafana whose
 * VictoriaMetrics data source has another uid or address still works, and `__inputs` lets
 * Grafana's "Import" ask for it. No colour thresholds on temperatures: the box's thresholds are
 * options (alerting.*) the dashboard cannot know, and SoC temperatures run hot by design; the
 * firing alerts have their own panels instead.
 */
import type { Panel } from '@grafana/schema';
import { type GrafanaExport, grafanaExport } from './grafana-export.js';
import {
  grafanaExpr,
  grafanaUnit,
  grid,
  resetIds,
  stat,
  table,
  timeseries,
  variable,
} from './grafana-panels.js';
import { type ChartSpec, charts, type HostQuery, hostQueries } from './queries.js';

export { grafanaExpr } from './grafana-panels.js';

const host = (id: HostQuery['id']) => (hostQueries.find((q) => q.id === id) as HostQuery).expr;

export function grafanaDashboard(): GrafanaExport {
  resetIds();
  const byId = (id: string) => charts.find((c) => c.id === id) as ChartSpec;
  const now = ['temperature', 'humidity', 'pressure'].map((id, i) => {
    const spec = byId(id);
    const q = spec.queries[0] as ChartSpec['queries'][number];
    return stat(
      `${spec.title} now`,
      grafanaUnit[spec.unit],
      grafanaExpr(q.expr, q.scale),
      q.legend,
      grid(i * 4, 0, 4, 4),
    );
  });
  const panels: Panel[] = [
    ...now,
    stat(
      'Sensors up',
      'short',
      grafanaExpr('sensor_up', undefined),
      '{{location}} {{device}}',
      grid(12, 0, 4, 4),
    ),
    stat(
      'Alerts firing',
      'short',
      'count(ALERTS{alertstate="firing"}) or vector(0)',
      'firing',
      grid(16, 0, 4, 4),
    ),
    stat('Uptime', 's', host('uptime'), 'up', grid(20, 0, 4, 4)),
    stat('CPU busy', 'percentunit', host('cpu'), 'CPU', grid(0, 4, 6, 4)),
    stat(
      'Memory used',
      'percentunit',
      `(${host('memory_used')}) / ${host('memory_total')}`,
      'memory',
      grid(6, 4, 6, 4),
    ),
    stat(
      'Disk used',
      'percentunit',
      `1 - ${host('disk_avail')} / ${host('disk_size')}`,
      '{{mountpoint}}',
      grid(12, 4, 6, 4),
    ),
    stat('Load (1 min)', 'short', host('load1'), 'load', grid(18, 4, 6, 4)),
    table(
      'Firing alerts',
      'ALERTS{alertstate="firing"}',
      '{{alertname}} {{device}} {{location}}',
      grid(0, 8, 24, 6),
    ),
    ...charts.map((spec, i) => timeseries(spec, grid((i % 2) * 12, 14 + Math.floor(i / 2) * 8, 12, 8))),
  ];
  return grafanaExport({
    uid: 'edgewatch',
    title: 'edgewatch',
    description:
      "Sensors, host, alerts, scrapes and the memory budget of an edgewatch box, from the same queries as edgewatch's built-in dashboard.",
    input: {
      name: 'DS_EDGEWATCH',
      label: 'edgewatch VictoriaMetrics',
      description: "The box's VictoriaMetrics, or edgewatch's query proxy",
    },
    datasourceText: 'edgewatch',
    variables: [
      variable('device', 'Device', 'label_values(sensor_up, device)'),
      variable('sensor', 'Sensor', 'label_values(sensor_info{device=~"$device"}, name)'),
    ],
    panels,
  });
}
