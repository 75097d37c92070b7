/**
 * The shell of a Grafana dashboard in Grafana's import format, shared by the box's dashboard
 * (grafana.ts) and the fleet's (grafana-fleet.ts): `__inputs` asking for a Prometheus-type data
 * source, the `$datasource` variable every panel uses, time, refresh and annotations.
 */
import type { Dashboard, Panel, VariableModel } from '@grafana/schema';

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

export interface ExportSpec {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  /** The `__inputs` entry: name (DS_…), label and description of the data source asked for. */
  readonly input: { readonly name: string; readonly label: string; readonly description: string };
  /** Shown as the data source variable's current text before Grafana resolves it. */
  readonly datasourceText: string;
  readonly variables: readonly VariableModel[];
  readonly panels: readonly Panel[];
}

export function grafanaExport(spec: ExportSpec): GrafanaExport {
  const datasource = {
    name: 'datasource',
    label: 'Data source',
    type: 'datasource',
    query: 'prometheus',
    current: { text: spec.datasourceText, value: `\${${spec.input.name}}` },
    options: [],
    refresh: 1,
    regex: '',
    hide: 0,
  } as VariableModel;
  return {
    __inputs: [{ ...spec.input, type: 'datasource', pluginId: 'prometheus', pluginName: 'Prometheus' }],
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
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
    templating: { list: [datasource, ...spec.variables] },
    panels: [...spec.panels],
  };
}
