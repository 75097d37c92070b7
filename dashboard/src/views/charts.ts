/**
 * Charts: one uPlot chart per quantity, a series per sensor (or job, or component), over the
 * selected time range. Data: one POST /api/query_batch per refresh holding, for every query in
 * queries.ts, its range query and an instant query for the legend's latest value (the latest
 * sample, whatever the range's step). When a refresh fails the drawn charts stay, marked stale.
 */
import { type BatchQuery, batchErrorText, describeError, queryBatch, storageDown } from '../api.js';
import { Chart, type QueryResult, toChartData } from '../chart.js';
import { ChartMeta, linesFor } from '../chart-meta.js';
import { banner, h, replace } from '../dom.js';
import { formatDateTime, formatSeconds } from '../format.js';
import { QUERY_TIMEOUT_MS } from '../freshness.js';
import { charts } from '../queries.js';
import { type AppState, defaultState, type RangeName, type TimeWindow, timeWindow } from '../state.js';
import type { QueryBatchResultJson } from '../types.js';
import type { RefreshResult, View, ViewContext } from './view.js';

type ChartOutcome = { ok: true; results: QueryResult[] } | { ok: false; error: string };

export function chartsView(): View {
  let navigate: ViewContext['navigate'] = () => {};
  const zoom = (from: number, to: number) => navigate({ range: 'custom', from: from * 1000, to: to * 1000 });
  const shown = charts.map((spec) => new Chart(spec, zoom));

  const select = h('select', { id: 'sensor-filter' });
  select.addEventListener('change', () => navigate({ sensor: select.value }));
  const summary = h('p', { class: 'muted', role: 'status' });
  // Back to the relative range the drag started from.
  let unzoomed: RangeName = defaultState.range;
  const reset = h('button', { type: 'button', id: 'reset-zoom', hidden: true }, 'Reset zoom');
  reset.addEventListener('click', () => navigate({ range: unzoomed, from: 0, to: 0 }));
  const meta = new ChartMeta();
  const notice = h('div');
  const root = h(
    'div',
    { class: 'view view-charts' },
    h(
      'div',
      { class: 'chart-controls' },
      h('label', { for: 'sensor-filter' }, 'Sensor'),
      select,
      reset,
      summary,
    ),
    notice,
    h('div', { class: 'chart-grid' }, ...shown.map((c) => c.figure)),
  );

  // A custom range is fixed, so its data is fetched once; relative ranges move with the clock.
  let cache: { key: string; outcomes: ChartOutcome[] } | undefined;

  return {
    root,
    title: 'Charts',
    async update(ctx: ViewContext): Promise<RefreshResult> {
      navigate = ctx.navigate;
      if (ctx.state.range !== 'custom') unzoomed = ctx.state.range;
      reset.hidden = ctx.state.range !== 'custom';
      const window = timeWindow(ctx.state, Date.now());
      const key = `${window.start}/${window.end}/${window.step}`;
      let outcomes: ChartOutcome[];
      let down: string | undefined;
      if (ctx.state.range === 'custom' && cache?.key === key) {
        outcomes = cache.outcomes;
      } else {
        try {
          // Names and thresholds beside the batch, only while missing: never a second round trip.
          const named = meta.load(cache !== undefined && hasUnknownSensor(cache.outcomes, meta), ctx.signal);
          const results = await queryBatch(batchFor(window), ctx.signal);
          await named;
          outcomes = splitResults(results);
          down = storageDown(results);
        } catch (err) {
          if (ctx.signal.aborted) throw err;
          const error = describeError(err);
          outcomes = charts.map(() => ({ ok: false, error }));
          down = error;
        }
      }
      if (ctx.signal.aborted) throw new DOMException('refresh superseded', 'AbortError');
      if (outcomes.some((o) => o.ok)) cache = { key, outcomes };

      summary.textContent = describeWindow(ctx.state, window);
      fillSensorSelect(select, outcomes, ctx.state.sensor, meta.names);
      const keep = (labels: Record<string, string>) =>
        ctx.state.sensor === '' ||
        labels.source === undefined ||
        labels.device === undefined ||
        `${labels.source}/${labels.device}` === ctx.state.sensor;

      const failures = new Set<string>();
      outcomes.forEach((outcome, i) => {
        const chart = shown[i] as Chart;
        if (outcome.ok) {
          chart.show(
            toChartData(outcome.results, keep, (labels) => meta.seriesName(labels)),
            window,
            linesFor(chart.spec, meta.thresholds ?? []),
          );
        } else {
          failures.add(outcome.error);
          // A chart already drawn keeps its lines, marked stale; a new one says why it is empty.
          chart.showError(outcome.error);
        }
      });
      // One failure on every chart (VictoriaMetrics down) is also said once, at the top.
      const allFailedAlike = failures.size === 1 && outcomes.every((o) => !o.ok);
      replace(notice, allFailedAlike ? banner('error', [...failures][0] as string) : null);
      const fresh = outcomes.some((o) => o.ok);
      return { fresh, reason: down === undefined ? undefined : `${down}: history unavailable` };
    },
    markStale(text) {
      for (const chart of shown) chart.markStale(text);
    },
    destroy() {
      for (const chart of shown) chart.destroy();
    },
  };
}

function hasUnknownSensor(outcomes: readonly ChartOutcome[], meta: ChartMeta): boolean {
  return outcomes.some(
    (o) =>
      o.ok &&
      o.results.some((r) =>
        r.series.some(
          (s) => s.metric.source !== undefined && s.metric.device !== undefined && !meta.seriesName(s.metric),
        ),
      ),
  );
}

/** Per series query, in charts order: its range query, then its instant query. */
function batchFor(window: TimeWindow): BatchQuery[] {
  const timeout = `${QUERY_TIMEOUT_MS}ms`;
  return charts.flatMap((spec) =>
    spec.queries.flatMap((q): BatchQuery[] => [
      {
        endpoint: '/api/v1/query_range',
        params: {
          query: q.expr,
          start: String(window.start),
          end: String(window.end),
          step: String(window.step),
          timeout,
        },
      },
      { endpoint: '/api/v1/query', params: { query: q.expr, time: String(window.end), timeout } },
    ]),
  );
}

/** The batch's answers back into one outcome per chart; any failed query fails its chart. */
function splitResults(results: readonly QueryBatchResultJson[]): ChartOutcome[] {
  let i = 0;
  return charts.map((spec) => {
    const out: QueryResult[] = [];
    let error: string | undefined;
    for (const query of spec.queries) {
      const range = results[i++];
      const instant = results[i++];
      if (range?.status !== 'success' || instant?.status !== 'success') {
        const failed = range?.status === 'error' ? range : instant?.status === 'error' ? instant : undefined;
        error ??= failed ? batchErrorText(failed) : 'no answer';
        continue;
      }
      out.push({
        query,
        series: range.data.result as QueryResult['series'],
        latest: instant.data.result as QueryResult['latest'],
      });
    }
    return error === undefined ? { ok: true, results: out } : { ok: false, error };
  });
}

/** Sensors seen in the results (series labelled source and device), plus the selected one. */
function fillSensorSelect(
  select: HTMLSelectElement,
  outcomes: readonly ChartOutcome[],
  selected: string,
  names: ReadonlyMap<string, string>,
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
  // The sensor's one name, as on its card and in the legend; the id until /sensor answered.
  const options = [...ids].map((id) => ({ id, text: names.get(id) ?? id }));
  options.sort((a, b) => a.text.localeCompare(b.text));
  const signature = options.map((o) => `${o.id}=${o.text}`).join('\n');
  // Rebuilt only when the sensors change, so a refresh does not close a list the user has open.
  if (select.dataset.ids !== signature) {
    select.dataset.ids = signature;
    replace(
      select,
      h('option', { value: '' }, 'All sensors'),
      ...options.map((o) => h('option', { value: o.id }, o.text)),
    );
  }
  select.value = selected;
}

function describeWindow(state: AppState, window: TimeWindow): string {
  const span =
    state.range === 'custom'
      ? `${formatDateTime(window.start * 1000)} – ${formatDateTime(window.end * 1000)}`
      : `Last ${formatSeconds(window.end - window.start)}`;
  return `${span} · one point per ${formatSeconds(window.step)}`;
}
