/**
 * A chart's query results as uPlot's aligned columns (shared x, one y per series), with each
 * series' legend and latest sample. No uPlot and no DOM here: chart.ts draws what this returns.
 */
import type { SeriesQuery } from './queries.js';
import type { MatrixSeries } from './types.js';

export interface QueryResult {
  query: SeriesQuery;
  series: MatrixSeries[];
  /** The instant query's samples: the latest value of each series, whatever the step. */
  latest: Array<{ metric: Record<string, string>; value: [number, string] }>;
}

export interface ChartData {
  /** Unix seconds. */
  xs: number[];
  series: Array<{ label: string; values: Array<number | null>; dashed: boolean; latest: number | null }>;
}

/** `{{label}}` placeholders filled from the series labels, as Grafana's legend format does. */
export function legendFor(template: string, labels: Record<string, string>): string {
  const text = template
    .replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => labels[name] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  if (text !== '') return text;
  return Object.entries(labels)
    .filter(([k]) => k !== '__name__')
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

export function toChartData(
  results: readonly QueryResult[],
  keep: (labels: Record<string, string>) => boolean,
) {
  const times = new Set<number>();
  const picked: Array<{ query: SeriesQuery; series: MatrixSeries; latest: number | null }> = [];
  for (const { query, series, latest } of results) {
    const latestBy = new Map(latest.map((l) => [labelKey(l.metric), Number(l.value[1])]));
    for (const s of series) {
      if (!keep(s.metric)) continue;
      const last = latestBy.get(labelKey(s.metric));
      picked.push({
        query,
        series: s,
        latest: last !== undefined && Number.isFinite(last) ? last * (query.scale ?? 1) : null,
      });
      for (const [t] of s.values) times.add(t);
    }
  }
  const xs = [...times].sort((a, b) => a - b);
  const index = new Map(xs.map((t, i) => [t, i]));
  const data: ChartData = { xs, series: [] };
  for (const { query, series, latest } of picked) {
    const values: Array<number | null> = new Array(xs.length).fill(null);
    for (const [t, v] of series.values) {
      const n = Number(v);
      if (Number.isFinite(n)) values[index.get(t) as number] = n * (query.scale ?? 1);
    }
    data.series.push({
      label: legendFor(query.legend, series.metric),
      values,
      dashed: query.dashed === true,
      latest,
    });
  }
  data.series.sort((a, b) => a.label.localeCompare(b.label));
  return data;
}

function labelKey(metric: Record<string, string>): string {
  return JSON.stringify(Object.entries(metric).sort(([a], [b]) => a.localeCompare(b)));
}
