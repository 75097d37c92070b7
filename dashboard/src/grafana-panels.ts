/**
 * Grafana panels and variables from the built-in dashboard's query definitions: the units, the
 * variables applied to sensor series, one panel builder per panel kind. grafana.ts lays them out.
 */
import type { DataSourceRef, FieldColorModeId, MappingType, Panel, VariableModel } from '@grafana/schema';
import type { ChartSpec, Unit } from './queries.js';

// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's ${variable} syntax
export const ds: DataSourceRef = { type: 'prometheus', uid: '${datasource}' };

/** Grafana's unit ids for ours; counts per second are not requests ("req/s" misled). */
export const grafanaUnit: Record<Unit, string> = {
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
/** Panel ids count from 1 in each dashboard built. */
export function resetIds(): void {
  nextId = 1;
}

export function nextPanelId(): number {
  return nextId++;
}

export const grid = (x: number, y: number, w: number, h: number) => ({ x, y, w, h });

export function targets(queries: Array<{ expr: string; legend: string }>): Array<Record<string, unknown>> {
  return queries.map((q, i) => ({
    refId: String.fromCharCode(65 + i),
    datasource: ds,
    editorMode: 'code',
    expr: q.expr,
    legendFormat: q.legend,
    range: true,
  }));
}

export function timeseries(spec: ChartSpec, pos: ReturnType<typeof grid>): Panel {
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

export function stat(
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

/** An instant table, one row per series, its labels as columns. */
export function table(title: string, expr: string, legend: string, pos: ReturnType<typeof grid>): Panel {
  return {
    id: nextId++,
    type: 'table',
    title,
    datasource: ds,
    gridPos: pos,
    options: { showHeader: true },
    transformations: [{ id: 'labelsToFields', options: {} }],
    targets: [
      {
        refId: 'A',
        datasource: ds,
        editorMode: 'code',
        expr,
        legendFormat: legend,
        format: 'table',
        instant: true,
        range: false,
      },
    ],
  };
}

export function variable(name: string, label: string, query: string): VariableModel {
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
