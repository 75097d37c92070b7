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
import type {
  Dashboard,
  DataSourceRef,
  FieldColorModeId,
  MappingType,
  Panel,
  VariableModel,
} from '@grafana/schema';
import { type ChartSpec, charts, type HostQuery, hostQueries, type Unit } from './queries.js';

// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's ${variable} syntax
const ds: DataSourceRef = { type: 'prometheus', uid: '${datasource}' };

/** Grafana's unit ids for ours; counts per second are not requests ("req/s" misled). */
const grafanaUnit: Record<Unit, string> = {
  celsius: 'celsius',
  percent: 'percentunit',
  hectopascals: 'pressurehpa',
  seconds: 's',
  bytes: 'bytes',
  per_second: 'cps',
  count: 'short',
  up: 'none',
};

/** Sensor series carry source and device; the chip name only sensor_info has. */
const sensorMetric =
  /^(sensor_(?:temperature_celsius|humidity_ratio|pressure_pascals|read_errors_total|up))\b/;
const sensorFilter = ' and on (source, device) sensor_info{name=~"$sensor"}';

/**
 * A built-in query in Grafana's terms: the device and sensor variables applied to sensor series,
 * Grafana's rate interval, and hPa as the expression's own division (the built-in dashboard
 * scales on the client instead). Ratios stay ratios: Grafana's percentunit shows them as %.
 */
export function grafanaExpr(expr: string, scale: number | undefined): string {
  let out = expr.replace(/\[5m\]/g, '[$__rate_interval]');
  const m = sensorMetric.exec(out.replace(/^rate\(/, ''));
  const filtered = m !== null;
  if (filtered) out = out.replace(m[1] as string, `${m[1]}{device=~"$device"}`);
  if (scale === 0.01) out = `${out} / 100`;
  return filtered ? `${out}${sensorFilter}` : out;
}

let nextId = 1;
const grid = (x: number, y: number, w: number, h: number) => ({ x, y, w, h });

function targets(queries: Array<{ expr: string; legend: string }>): Array<Record<string, unknown>> {
  return queries.map((q, i) => ({
    refId: String.fromCharCode(65 + i),
    datasource: ds,
    editorMode: 'code',
    expr: q.expr,
    legendFormat: q.legend,
    range: true,
  }));
}

function timeseries(spec: ChartSpec, pos: ReturnType<typeof grid>): Panel {
  return {
    id: nextId++,
    type: 'timeseries',
    title: spec.title,
    datasource: ds,
    gridPos: pos,
    fieldConfig: {
      defaults: {
        unit: grafanaUnit[spec.unit],
        color: { mode: 'palette-classic' as FieldColorModeId },
        custom: { drawStyle: 'line', lineWidth: 1, fillOpacity: 0, showPoints: 'never', spanNulls: false },
        ...(spec.unit === 'up'
          ? {
              mappings: [
                {
                  type: 'value' as MappingType.ValueToText,
                  options: { '0': { text: 'down' }, '1': { text: 'up' } },
                },
              ],
              min: 0,
              max: 1,
            }
          : {}),
      },
      overrides: [],
    },
    options: {
      legend: {
        displayMode: 'list',
        placement: 'bottom',
        showLegend: true,
        calcs: ['min', 'max', 'mean', 'lastNotNull'],
      },
      tooltip: { mode: 'multi', sort: 'none' },
    },
    targets: targets(spec.queries.map((q) => ({ expr: grafanaExpr(q.expr, q.scale), legend: q.legend }))),
  };
}

function stat(
  title: string,
  unit: string,
  expr: string,
  legend: string,
  pos: ReturnType<typeof grid>,
): Panel {
  return {
    id: nextId++,
    type: 'stat',
    title,
    datasource: ds,
    gridPos: pos,
    fieldConfig: {
      defaults: {
        unit,
        decimals: unit === 'short' ? 0 : 1,
        color: { mode: 'fixed' as FieldColorModeId, fixedColor: 'text' },
        mappings: [],
      },
      overrides: [],
    },
    options: {
      reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
      colorMode: 'value',
      graphMode: 'area',
      justifyMode: 'auto',
      orientation: 'auto',
      textMode: 'value_and_name',
      wideLayout: true,
      showPercentChange: false,
    },
    targets: targets([{ expr, legend }]),
  };
}

const host = (id: HostQuery['id']) => (hostQueries.find((q) => q.id === id) as HostQuery).expr;

function variable(name: string, label: string, query: string): VariableModel {
  return {
    name,
    label,
    type: 'query',
    datasource: ds,
    query: { qryType: 1, query, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
    definition: query,
    refresh: 2,
    includeAll: true,
    multi: true,
    allValue: '.*',
    current: { selected: true, text: ['All'], value: ['$__all'] },
    options: [],
    sort: 1,
    regex: '',
    hide: 0,
  } as VariableModel;
}

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
  nextId = 1;
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
      id: nextId++,
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
