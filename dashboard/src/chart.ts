/**
 * One uPlot line chart. Results of a chart's queries become uPlot's aligned columns (shared x,
 * one y per series); the figure carries `data-points` (non-null points drawn) so tests, and
 * anyone inspecting the page, can tell an empty chart from a drawn one.
 */
import uPlot from 'uplot';
import type { ChartData } from './chart-data.js';
import { withLines } from './chart-data.js';
import { downloadCsv, fillStats, keyCursor } from './chart-tools.js';
import { h, replace } from './dom.js';
import { formatDateTime, formatValue } from './format.js';
import { drawnGaps, withGaps } from './gaps.js';
import type { ChartSpec, Unit } from './queries.js';

export { type ChartData, type QueryResult, toChartData } from './chart-data.js';

/** A dashed horizontal line: an alert threshold, in the chart's (scaled) unit. */
export interface ChartLine {
  label: string;
  value: number;
}

/** Okabe–Ito colours: distinguishable with the common colour-vision deficiencies. */
const palette = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#999999'];
const HEIGHT = 220;

/** Axis and grid colours from the page's colour scheme (style.css custom properties). */
function themeColours(): { axis: string; grid: string } {
  const css = getComputedStyle(document.documentElement);
  return {
    axis: css.getPropertyValue('--chart-axis').trim() || '#444',
    grid: css.getPropertyValue('--chart-grid').trim() || '#e4e4e4',
  };
}

/** The page's one time format on the x axis: HH:MM within a day, MM-DD HH:MM beyond. */
function timeTicks(_u: uPlot, splits: number[], _ax: number, _space: number, incr: number): string[] {
  return splits.map((t) => {
    const full = formatDateTime(t * 1000);
    return incr >= 86_400 ? full.slice(5, 10) : incr >= 3600 * 6 ? full.slice(5, 16) : full.slice(11, 16);
  });
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
  readonly #staleNote: HTMLElement;
  readonly #stats = h('table', { class: 'chart-stats', hidden: true });
  readonly #csv: HTMLButtonElement;
  /** Latest sample per series label, shown in the legend away from the cursor. */
  #latest: Array<number | null> = [];
  #last:
    | { data: ChartData; window: { start: number; end: number; step: number }; lines: readonly ChartLine[] }
    | undefined;
  readonly #onTheme = () => {
    if (!this.#last || !this.#plot) return;
    this.#destroyPlot();
    this.show(this.#last.data, this.#last.window, this.#last.lines);
  };

  constructor(
    readonly spec: ChartSpec,
    private readonly onZoom: (fromSec: number, toSec: number) => void,
  ) {
    this.#body = h('div', { class: 'chart-body' });
    this.#staleNote = h('span', { class: 'stale-note' });
    this.#csv = h(
      'button',
      { type: 'button', class: 'chart-csv', 'aria-label': `Download ${spec.title} as CSV`, disabled: true },
      'CSV',
    );
    this.#csv.addEventListener('click', () => {
      if (this.#last) downloadCsv(spec.id, this.#last.data);
    });
    // Focusable (its name says what it shows and the latest values); arrows move the cursor.
    this.#body.addEventListener(
      'keydown',
      keyCursor(() => this.#plot),
    );
    this.figure = h(
      'figure',
      { class: 'chart', 'data-chart': spec.id, 'data-points': 0 },
      h('figcaption', {}, h('span', {}, spec.title, this.#staleNote), this.#csv),
      this.#body,
      this.#stats,
    );
    window.addEventListener('themechange', this.#onTheme);
    this.#resize = new ResizeObserver(() => this.#plot?.setSize({ width: this.#width(), height: HEIGHT }));
    this.#resize.observe(this.figure);
  }

  /** Draws `data` over `window` (unix seconds, the range the data was queried for). */
  show(
    data: ChartData,
    window: { start: number; end: number; step: number },
    lines: readonly ChartLine[] = [],
  ): void {
    this.#last = { data, window, lines };
    this.markStale(undefined);
    this.#xRange = [window.start, window.end];
    const points = data.series.reduce((n, s) => n + s.values.filter((v) => v !== null).length, 0);
    this.figure.dataset.points = String(points);
    // A box without, say, a pressure sensor has no such series at all: no empty box for it.
    this.figure.hidden = this.spec.optional === true && data.series.length === 0;
    this.#csv.disabled = points === 0;
    fillStats(this.#stats, this.spec.title, data, this.spec.unit);
    if (points === 0) {
      this.#destroyPlot();
      replace(this.#body, h('p', { class: 'chart-empty' }, 'No data in this time range.'));
      return;
    }
    this.#latest = [...data.series.map((s) => s.latest ?? latest(s.values)), ...lines.map((l) => l.value)];
    const gapped = withGaps(
      data.xs,
      data.series.map((s) => s.values),
      window.step,
    );
    const columns = withLines(
      gapped.xs,
      gapped.columns,
      lines.map((l) => l.value),
      window,
    ) as uPlot.AlignedData;
    this.figure.dataset.gaps = String(drawnGaps(columns.slice(1, 1 + data.series.length)));
    const signature = [...data.series, ...lines].map((s) => s.label).join('\n');
    if (this.#plot && signature === this.#signature) {
      this.#plot.setData(columns);
    } else {
      this.#destroyPlot();
      replace(this.#body);
      this.#plot = new uPlot(this.#options(data, lines), columns, this.#body);
      this.#signature = signature;
    }
    const readings = [...data.series, ...lines].map((s, i) => {
      const last = this.#latest[i] ?? null;
      return `${s.label}: ${last === null ? 'no value' : formatValue(this.spec.unit, last)}`;
    });
    this.#body.setAttribute('role', 'img');
    this.#body.tabIndex = 0;
    this.#body.setAttribute('aria-label', `${this.spec.title}. Latest: ${readings.join('; ')}`);
  }

  /** `text`: the drawn lines are not current (the caption says so); undefined: they are. */
  markStale(text: string | undefined): void {
    this.figure.classList.toggle('stale', text !== undefined);
    this.#staleNote.textContent = text === undefined ? '' : ' — not current';
  }

  showError(message: string): void {
    if (this.#plot) {
      // The last lines stay, marked stale: a failed refresh does not wipe what was known.
      this.figure.classList.add('stale');
      this.#staleNote.textContent = ` — not current: ${message}`;
      return;
    }
    this.figure.dataset.points = '0';
    this.#destroyPlot();
    // Not role=alert: with VictoriaMetrics down every chart fails, and the view announces it once.
    replace(this.#body, h('p', { class: 'banner banner-error' }, message));
  }

  destroy(): void {
    window.removeEventListener('themechange', this.#onTheme);
    this.#resize.disconnect();
    this.#destroyPlot();
  }

  #destroyPlot(): void {
    this.#plot?.destroy();
    this.#plot = undefined;
    this.#signature = '';
    this.#body.removeAttribute('role');
    this.#body.removeAttribute('aria-label');
    this.#body.removeAttribute('tabindex');
  }

  #width(): number {
    return Math.max(200, this.figure.clientWidth - 2);
  }

  #options(data: ChartData, lines: readonly ChartLine[]): uPlot.Options {
    const unit = this.spec.unit;
    const colours = themeColours();
    const axisColor = colours.axis;
    const grid = { stroke: colours.grid, width: 1 };
    return {
      width: this.#width(),
      height: HEIGHT,
      series: [
        { value: (_u: uPlot, v: number | null) => (v === null ? '–' : formatDateTime(v * 1000)) },
        ...data.series.map((s, i) => ({
          label: s.label,
          stroke: palette[i % palette.length],
          width: 1.5,
          dash: s.dashed ? [6, 4] : undefined,
          // Away from the cursor the legend shows each series' latest value.
          value: (u: uPlot, v: number | null, si: number, idx: number | null) => {
            const shown = idx === null ? (this.#latest[si - 1] ?? latest(u.data[si])) : v;
            return shown === null || shown === undefined ? '–' : formatValue(unit, shown);
          },
        })),
        // Alert thresholds: dashed, in the axis colour, so they read as limits, not as sensors.
        ...lines.map((l) => ({
          label: l.label,
          stroke: axisColor,
          width: 1,
          dash: [3, 5],
          points: { show: false },
          value: () => formatValue(unit, l.value),
        })),
      ],
      axes: [
        { stroke: axisColor, grid, ticks: grid, values: timeTicks },
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
      // One crosshair across every chart: the same moment read on all of them.
      cursor: { drag: { x: true, y: false, setScale: false }, sync: { key: 'edgewatch' } },
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
