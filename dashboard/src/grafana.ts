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
import type { Dashboard, Panel, VariableModel } from '@grafana/schema';
import {
  ds,
  grafanaExpr,
  grafanaUnit,
  grid,
  nextPanelId,
  resetIds,
  stat,
  timeseries,
  variable,
} from './grafana-panels.js';
import { type ChartSpec, charts, type HostQuery, hostQueries } from './queries.js';

export { grafanaExpr } from './grafana-panels.js';

const host = (id: HostQuery['id']) => (hostQueries.find((q) => q.id === id) as HostQuery).expr;

/** Grafana's import format: `__inputs` beside the dashboard model. */
export type GrafanaExport = Dashboard & {
  __inputs: Array<{
    name: string;
    label: string;
    description: string;
    type: 'datasource';
    pluginId: string;
    pluginName: string;
  }>;
};

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
    {
      id: nextPanelId(),
      type: 'table',
      title: 'Firing alerts',
      datasource: ds,
      gridPos: grid(0, 8, 24, 6),
      options: { showHeader: true },
      transformations: [{ id: 'labelsToFields', options: {} }],
      targets: [
        {
          refId: 'A',
          datasource: ds,
          editorMode: 'code',
          expr: 'ALERTS{alertstate="firing"}',
          legendFormat: '{{alertname}} {{device}} {{location}}',
          format: 'table',
          instant: true,
          range: false,
        },
      ],
    },
    ...charts.map((spec, i) => timeseries(spec, grid((i % 2) * 12, 14 + Math.floor(i / 2) * 8, 12, 8))),
  ];
  const datasource = {
    name: 'datasource',
    label: 'Data source',
    type: 'datasource',
    query: 'prometheus',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's import input syntax
    current: { text: 'edgewatch', value: '${DS_EDGEWATCH}' },
    options: [],
    refresh: 1,
    regex: '',
    hide: 0,
  } as VariableModel;
  return {
    __inputs: [
      {
        name: 'DS_EDGEWATCH',
        label: 'edgewatch VictoriaMetrics',
        description: "The box's VictoriaMetrics, or edgewatch's query proxy",
        type: 'datasource',
        pluginId: 'prometheus',
        pluginName: 'Prometheus',
      },
    ],
    uid: 'edgewatch',
    title: 'edgewatch',
    description:
      "Sensors, host, alerts, scrapes and the memory budget of an edgewatch box, from the same queries as edgewatch's built-in dashboard.",
    tags: ['edgewatch'],
    timezone: 'browser',
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    time: { from: 'now-6h', to: 'now' },
    refresh: '30s',
    fiscalYearStartMonth: 0,
    liveNow: false,
    timepicker: { refresh_intervals: ['15s', '30s', '1m', '5m'] },
    annotations: {
      list: [
        {
          builtIn: 1,
          datasource: { type: 'grafana', uid: '-- Grafana --' },
          enable: true,
          hide: true,
          iconColor: 'rgba(0, 211, 255, 1)',
          name: 'Annotations & Alerts',
          type: 'dashboard',
        },
      ],
    },
    links: [],
    templating: {
      list: [
        datasource,
        variable('device', 'Device', 'label_values(sensor_up, device)'),
        variable('sensor', 'Sensor', 'label_values(sensor_info{device=~"$device"}, name)'),
      ],
    },
    panels,
  };
}
