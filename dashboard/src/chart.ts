/**
 * One uPlot line chart. Results of a chart's queries become uPlot's aligned columns (shared x,
 * one y per series); the figure carries `data-points` (non-null points drawn) so tests, and
 * anyone inspecting the page, can tell an empty chart from a drawn one.
 */
import uPlot from 'uplot';
import { h, replace } from './dom.js';
import { formatValue } from './format.js';
import type { ChartSpec, SeriesQuery, Unit } from './queries.js';
import type { MatrixSeries } from './types.js';

export interface QueryResult {
  query: SeriesQuery;
  series: MatrixSeries[];
}

export interface ChartData {
  /** Unix seconds. */
  xs: number[];
  series: Array<{ label: string; values: Array<number | null>; dashed: boolean }>;
}

/** Okabe–Ito colours: distinguishable with the common colour-vision deficiencies. */
const palette = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#999999'];
const HEIGHT = 220;

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
  const picked: Array<{ query: SeriesQuery; series: MatrixSeries }> = [];
  for (const { query, series } of results) {
    for (const s of series) {
      if (!keep(s.metric)) continue;
      picked.push({ query, series: s });
      for (const [t] of s.values) times.add(t);
    }
  }
  const xs = [...times].sort((a, b) => a - b);
  const index = new Map(xs.map((t, i) => [t, i]));
  const data: ChartData = { xs, series: [] };
  for (const { query, series } of picked) {
    const values: Array<number | null> = new Array(xs.length).fill(null);
    for (const [t, v] of series.values) {
      const n = Number(v);
      if (Number.isFinite(n)) values[index.get(t) as number] = n * (query.scale ?? 1);
    }
    data.series.push({
      label: legendFor(query.legend, series.metric),
      values,
      dashed: query.dashed === true,
    });
  }
  data.series.sort((a, b) => a.label.localeCompare(b.label));
  return data;
}

/** Units whose charts start at zero: counts, rates, durations and sizes read against nothing. */
const zeroBased = new Set<Unit>(['seconds', 'bytes', 'per_second', 'count']);

/**
 * Y range with 10 % headroom. A flat series (a steady 1013 hPa) gets a narrow band around its
 * value instead of uPlot's order-of-magnitude default, which would put it among ticks 0..2000.
 */
function yRange(unit: Unit): uPlot.Range.Function {
  return (_u, min, max) => {
    if (unit === 'up') return [0, 1.1];
    if (zeroBased.has(unit)) return [Math.min(0, min), max > 0 ? max * 1.1 : 1];
    const pad = max > min ? (max - min) * 0.1 : Math.max(Math.abs(max) * 0.01, 0.5);
    return [min - pad, max + pad];
  };
}

/** Units shown with one decimal: finer ticks would repeat labels ("21.6 °C" at 21.55 and 21.6). */
const oneDecimal = new Set<Unit>(['celsius', 'percent', 'hectopascals']);
const oneDecimalIncrs = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

/** Room for the longest tick label; uPlot's fixed default clips "1013.2 hPa". */
function axisSize(_u: uPlot, values: string[] | null): number {
  const longest = (values ?? []).reduce((n, v) => Math.max(n, v.length), 0);
  return Math.ceil(18 + longest * 8);
}

function latest(column: uPlot.AlignedData[number] | undefined): number | null {
  if (!column) return null;
  for (let i = column.length - 1; i >= 0; i--) {
    const v = column[i];
    if (v !== null && v !== undefined) return v;
  }
  return null;
}

export class Chart {
  readonly figure: HTMLElement;
  readonly #body: HTMLElement;
  #plot: uPlot | undefined;
  /** Labels of the drawn series: when they change the plot is rebuilt, otherwise only fed data. */
  #signature = '';
  /**
   * The x axis spans the selected time range (unix seconds), not just the samples in it: a series
   * that began two minutes ago sits at the right edge of "last hour", and a single sample does not
   * leave uPlot to guess an axis of years around it.
   */
  #xRange: [number, number] = [0, 1];
  readonly #resize: ResizeObserver;

  constructor(
    readonly spec: ChartSpec,
    private readonly onZoom: (fromSec: number, toSec: number) => void,
  ) {
    this.#body = h('div', { class: 'chart-body' });
    this.figure = h(
      'figure',
      { class: 'chart', 'data-chart': spec.id, 'data-points': 0 },
      h('figcaption', {}, spec.title),
      this.#body,
    );
    this.#resize = new ResizeObserver(() => this.#plot?.setSize({ width: this.#width(), height: HEIGHT }));
    this.#resize.observe(this.figure);
  }

  /** Draws `data` over `window` (unix seconds, the range the data was queried for). */
  show(data: ChartData, window: { start: number; end: number }): void {
    this.#xRange = [window.start, window.end];
    const points = data.series.reduce((n, s) => n + s.values.filter((v) => v !== null).length, 0);
    this.figure.dataset.points = String(points);
    if (points === 0) {
      this.#destroyPlot();
      replace(this.#body, h('p', { class: 'chart-empty' }, 'No data in this time range.'));
      return;
    }
    const columns: uPlot.AlignedData = [data.xs, ...data.series.map((s) => s.values)];
    const signature = data.series.map((s) => s.label).join('\n');
    if (this.#plot && signature === this.#signature) {
      this.#plot.setData(columns);
    } else {
      this.#destroyPlot();
      replace(this.#body);
      this.#plot = new uPlot(this.#options(data), columns, this.#body);
      this.#signature = signature;
    }
    const readings = data.series.map((s) => {
      const last = latest(s.values);
      return `${s.label}: ${last === null ? 'no value' : formatValue(this.spec.unit, last)}`;
    });
    this.#body.setAttribute('role', 'img');
    this.#body.setAttribute('aria-label', `${this.spec.title}. Latest: ${readings.join('; ')}`);
  }

  showError(message: string): void {
    this.figure.dataset.points = '0';
    this.#destroyPlot();
    // Not role=alert: with VictoriaMetrics down every chart fails, and the view announces it once.
    replace(this.#body, h('p', { class: 'banner banner-error' }, message));
  }

  destroy(): void {
    this.#resize.disconnect();
    this.#destroyPlot();
  }

  #destroyPlot(): void {
    this.#plot?.destroy();
    this.#plot = undefined;
    this.#signature = '';
    this.#body.removeAttribute('role');
    this.#body.removeAttribute('aria-label');
  }

  #width(): number {
    return Math.max(200, this.figure.clientWidth - 2);
  }

  #options(data: ChartData): uPlot.Options {
    const unit = this.spec.unit;
    const axisColor = '#444';
    const grid = { stroke: '#e4e4e4', width: 1 };
    return {
      width: this.#width(),
      height: HEIGHT,
      series: [
        {},
        ...data.series.map((s, i) => ({
          label: s.label,
          stroke: palette[i % palette.length],
          width: 1.5,
          dash: s.dashed ? [6, 4] : undefined,
          // Away from the cursor the legend shows each series' latest value.
          value: (u: uPlot, v: number | null, si: number, idx: number | null) => {
            const shown = idx === null ? latest(u.data[si]) : v;
            return shown === null || shown === undefined ? '–' : formatValue(unit, shown);
          },
        })),
      ],
      axes: [
        { stroke: axisColor, grid, ticks: grid },
        {
          stroke: axisColor,
          grid,
          ticks: grid,
          size: axisSize,
          splits: unit === 'up' ? () => [0, 1] : undefined,
          incrs: oneDecimal.has(unit) ? oneDecimalIncrs : undefined,
          values: (_u, splits) => splits.map((v) => formatValue(unit, v)),
        },
      ],
      scales: { x: { time: true, range: () => this.#xRange }, y: { range: yRange(unit) } },
      // Dragging across the chart selects a custom range (kept in the URL) instead of a local zoom.
      cursor: { drag: { x: true, y: false, setScale: false } },
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width < 5) return;
            const from = u.posToVal(u.select.left, 'x');
            const to = u.posToVal(u.select.left + u.select.width, 'x');
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            this.onZoom(from, to);
          },
        ],
      },
    };
  }
}
