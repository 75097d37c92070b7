/**
 * What a chart offers beside its lines: min/avg/max of each series over the range, CSV of the
 * drawn data, and a cursor moved by the arrow keys, so the chart is usable without a mouse.
 */
import type uPlot from 'uplot';
import { type ChartData, chartCsv, seriesStats } from './chart-data.js';
import { h, replace } from './dom.js';
import { formatValue } from './format.js';
import type { Unit } from './queries.js';

/** The legend's second part: one row per series, min/avg/max over the drawn range. */
export function fillStats(table: HTMLTableElement, title: string, data: ChartData, unit: Unit): void {
  const rows = data.series.flatMap((s) => {
    const st = seriesStats(s.values);
    if (st === null) return [];
    return [
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, s.label),
        ...[st.min, st.avg, st.max].map((v) => h('td', { class: 'num' }, formatValue(unit, v))),
      ),
    ];
  });
  replace(
    table,
    h('caption', { class: 'visually-hidden' }, `${title}: minimum, average and maximum over the range`),
    h('thead', {}, h('tr', {}, ...['Series', 'Min', 'Avg', 'Max'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, ...rows),
  );
  table.hidden = rows.length === 0;
}

/** Saves `data` as `<id>-<start>.csv`, built in the page: no request leaves it. */
export function downloadCsv(id: string, data: ChartData): void {
  const url = URL.createObjectURL(new Blob([chartCsv(data)], { type: 'text/csv' }));
  const a = h('a', { href: url, download: `${id}-${new Date((data.xs[0] ?? 0) * 1000).toISOString()}.csv` });
  document.body.append(a);
  a.click();
  a.remove();
  // The download has its own copy by now; a second is generous.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Left/Right move the cursor one point (the legend then reads that moment), Home/End to the
 * ends, Escape hides it. uPlot's cursor sync carries the move to the other charts.
 */
export function keyCursor(plot: () => uPlot | undefined): (e: KeyboardEvent) => void {
  return (e) => {
    const u = plot();
    const xs = u?.data[0];
    if (!u || !xs || xs.length === 0) return;
    const last = xs.length - 1;
    const at = u.cursor.idx ?? last;
    const moves: Record<string, number> = {
      ArrowLeft: Math.max(0, at - (u.cursor.idx === null ? 0 : 1)),
      ArrowRight: Math.min(last, at + 1),
      Home: 0,
      End: last,
    };
    if (e.key === 'Escape') {
      u.setCursor({ left: -10, top: -10 });
      return;
    }
    const idx = moves[e.key];
    if (idx === undefined) return;
    e.preventDefault();
    u.setCursor({ left: u.valToPos(xs[idx] as number, 'x'), top: u.over.clientHeight / 2 });
  };
}
