/**
 * Charts: one uPlot chart per quantity, a series per sensor (or job, or component), over the
 * selected time range. Data: /api/v1/query_range, one request per query in queries.ts.
 */
import { describeError, queryRange } from '../api.js';
import { Chart, type QueryResult, toChartData } from '../chart.js';
import { banner, h, replace } from '../dom.js';
import { formatSeconds } from '../format.js';
import { type ChartSpec, charts } from '../queries.js';
import { type AppState, type TimeWindow, timeWindow } from '../state.js';
import type { View, ViewContext } from './view.js';

type ChartOutcome = { ok: true; results: QueryResult[] } | { ok: false; error: string };

export function chartsView(): View {
  let navigate: ViewContext['navigate'] = () => {};
  const zoom = (from: number, to: number) => navigate({ range: 'custom', from: from * 1000, to: to * 1000 });
  const shown = charts.map((spec) => new Chart(spec, zoom));

  const select = h('select', { id: 'sensor-filter' });
  select.addEventListener('change', () => navigate({ sensor: select.value }));
  const summary = h('p', { class: 'muted', role: 'status' });
  const notice = h('div');
  const root = h(
    'div',
    { class: 'view view-charts' },
    h('div', { class: 'chart-controls' }, h('label', { for: 'sensor-filter' }, 'Sensor'), select, summary),
    notice,
    h('div', { class: 'chart-grid' }, ...shown.map((c) => c.figure)),
  );

  // A custom range is fixed, so its data is fetched once; relative ranges move with the clock.
  let cache: { key: string; outcomes: ChartOutcome[] } | undefined;

  return {
    root,
    async update(ctx: ViewContext) {
      navigate = ctx.navigate;
      const window = timeWindow(ctx.state, Date.now());
      const key = `${window.start}/${window.end}/${window.step}`;
      const outcomes =
        ctx.state.range === 'custom' && cache?.key === key
          ? cache.outcomes
          : await fetchAll(window, ctx.signal);
      if (ctx.signal.aborted) throw new DOMException('refresh superseded', 'AbortError');
      cache = { key, outcomes };

      summary.textContent = describeWindow(ctx.state, window);
      fillSensorSelect(select, outcomes, ctx.state.sensor);
      const keep = (labels: Record<string, string>) =>
        ctx.state.sensor === '' ||
        labels.source === undefined ||
        labels.device === undefined ||
        `${labels.source}/${labels.device}` === ctx.state.sensor;

      const failures = new Set<string>();
      outcomes.forEach((outcome, i) => {
        const chart = shown[i] as Chart;
        if (outcome.ok) {
          chart.show(toChartData(outcome.results, keep), window);
        } else {
          failures.add(outcome.error);
          chart.showError(outcome.error);
        }
      });
      // One failure on every chart (VictoriaMetrics down) is also said once, at the top.
      const allFailedAlike = failures.size === 1 && outcomes.every((o) => !o.ok);
      replace(notice, allFailedAlike ? banner('error', [...failures][0] as string) : null);
    },
    destroy() {
      for (const chart of shown) chart.destroy();
    },
  };
}

async function fetchAll(window: TimeWindow, signal: AbortSignal): Promise<ChartOutcome[]> {
  return Promise.all(charts.map((spec) => fetchChart(spec, window, signal)));
}

async function fetchChart(spec: ChartSpec, window: TimeWindow, signal: AbortSignal): Promise<ChartOutcome> {
  try {
    const results = await Promise.all(
      spec.queries.map(async (query) => ({ query, series: await queryRange(query.expr, window, signal) })),
    );
    return { ok: true, results };
  } catch (err) {
    if (signal.aborted) throw err;
    return { ok: false, error: describeError(err) };
  }
}

/** Sensors seen in the results (series labelled source and device), plus the selected one. */
function fillSensorSelect(
  select: HTMLSelectElement,
  outcomes: readonly ChartOutcome[],
  selected: string,
): void {
  const ids = new Set<string>();
  for (const outcome of outcomes) {
    if (!outcome.ok) continue;
    for (const { series } of outcome.results) {
      for (const { metric } of series) {
        if (metric.source !== undefined && metric.device !== undefined)
          ids.add(`${metric.source}/${metric.device}`);
      }
    }
  }
  if (selected !== '') ids.add(selected);
  const options = [...ids].sort();
  // Rebuilt only when the sensors change, so a refresh does not close a list the user has open.
  if (select.dataset.ids !== options.join('\n')) {
    select.dataset.ids = options.join('\n');
    replace(
      select,
      h('option', { value: '' }, 'All sensors'),
      ...options.map((id) => h('option', { value: id }, id)),
    );
  }
  select.value = selected;
}

function describeWindow(state: AppState, window: TimeWindow): string {
  const span =
    state.range === 'custom'
      ? `${new Date(window.start * 1000).toLocaleString()} – ${new Date(window.end * 1000).toLocaleString()}`
      : `Last ${formatSeconds(window.end - window.start)}`;
  return `${span} · one point per ${formatSeconds(window.step)}`;
}
