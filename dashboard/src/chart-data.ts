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
  /** The dashboard's own name for a series (a sensor's), before the query's legend template. */
  nameOf: (labels: Record<string, string>) => string | undefined = () => undefined,
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
      label: nameOf(series.metric) ?? legendFor(query.legend, series.metric),
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

/** Lowest, highest and mean of the drawn points (nulls are gaps, not zeros); null without any. */
export function seriesStats(
  values: readonly (number | null | undefined)[],
): { min: number; max: number; avg: number } | null {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
    n++;
  }
  return n === 0 ? null : { min, max, avg: sum / n };
}

/** What a chart shows as CSV: RFC 3339 time, then one column per series, empty in gaps. */
export function chartCsv(data: ChartData): string {
  const quote = (text: string) => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const lines = [['time', ...data.series.map((s) => s.label)].map(quote).join(',')];
  data.xs.forEach((t, i) => {
    const cells = data.series.map((s) => {
      const v = s.values[i];
      return v === null || v === undefined ? '' : String(v);
    });
    lines.push([new Date(t * 1000).toISOString(), ...cells].join(','));
  });
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * Aligned columns with a constant column per threshold line. The lines run across the whole
 * window, not only where samples are: x gets the window's ends (null in the data columns).
 */
export function withLines(
  xs: readonly number[],
  columns: ReadonlyArray<ReadonlyArray<number | null>>,
  lines: readonly number[],
  window: { start: number; end: number },
): [number[], ...Array<Array<number | null>>] {
  if (lines.length === 0) return [[...xs], ...columns.map((c) => [...c])];
  const head = xs.length === 0 || (xs[0] as number) > window.start ? 1 : 0;
  const tail = xs.length === 0 || (xs[xs.length - 1] as number) < window.end ? 1 : 0;
  const x = [...(head ? [window.start] : []), ...xs, ...(tail ? [window.end] : [])];
  const pad = (c: ReadonlyArray<number | null>) => [...(head ? [null] : []), ...c, ...(tail ? [null] : [])];
  return [x, ...columns.map(pad), ...lines.map((v) => x.map(() => v))];
}
