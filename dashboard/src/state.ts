/**
 * Everything that defines what the page shows lives in the URL hash (`#/charts?range=6h&sensor=…`),
 * so a link reproduces the view; the hash, not the query string, so the server serves one page.
 */

export const viewNames = ['now', 'charts', 'alerts', 'stack'] as const;
export type ViewName = (typeof viewNames)[number];

/** Relative ranges in seconds. */
export const ranges = { '15m': 900, '1h': 3600, '6h': 21_600, '24h': 86_400, '7d': 604_800 } as const;
export type RangeName = keyof typeof ranges | 'custom';

/** Refresh intervals in ms; 0 is off. */
export const refreshes = { off: 0, '5s': 5000, '15s': 15_000, '1m': 60_000 } as const;
export type RefreshName = keyof typeof refreshes;

export interface AppState {
  view: ViewName;
  range: RangeName;
  /** Custom range bounds, unix ms; only with range 'custom'. */
  from: number;
  to: number;
  refresh: RefreshName;
  paused: boolean;
  /** Sensor id (`source/device`) the charts are narrowed to; '' for all. */
  sensor: string;
}

export const defaultState: AppState = {
  view: 'now',
  range: '1h',
  from: 0,
  to: 0,
  refresh: '15s',
  paused: false,
  sensor: '',
};

const isOneOf = <T extends string>(values: readonly T[], v: string | null): v is T =>
  v !== null && (values as readonly string[]).includes(v);

export function parseState(hash: string): AppState {
  const text = hash.replace(/^#\/?/, '');
  const q = text.indexOf('?');
  const view = q === -1 ? text : text.slice(0, q);
  const params = new URLSearchParams(q === -1 ? '' : text.slice(q + 1));
  const state: AppState = { ...defaultState };
  if (isOneOf(viewNames, view)) state.view = view;
  const range = params.get('range');
  if (isOneOf([...Object.keys(ranges), 'custom'] as RangeName[], range)) state.range = range;
  const refresh = params.get('refresh');
  if (isOneOf(Object.keys(refreshes) as RefreshName[], refresh)) state.refresh = refresh;
  state.paused = params.get('paused') === '1';
  state.sensor = params.get('sensor') ?? '';
  if (state.range === 'custom') {
    const from = Number(params.get('from'));
    const to = Number(params.get('to'));
    if (Number.isFinite(from) && Number.isFinite(to) && from > 0 && to > from) {
      state.from = from;
      state.to = to;
    } else {
      state.range = defaultState.range;
    }
  }
  return state;
}

/** The hash for a state; defaults are left out so links stay short. */
export function formatState(state: AppState): string {
  const params = new URLSearchParams();
  if (state.range !== defaultState.range) params.set('range', state.range);
  if (state.range === 'custom') {
    params.set('from', String(Math.round(state.from)));
    params.set('to', String(Math.round(state.to)));
  }
  if (state.refresh !== defaultState.refresh) params.set('refresh', state.refresh);
  if (state.paused) params.set('paused', '1');
  if (state.sensor !== '') params.set('sensor', state.sensor);
  const query = params.toString();
  return `#/${state.view}${query ? `?${query}` : ''}`;
}

export interface TimeWindow {
  /** Unix seconds. */
  start: number;
  end: number;
  /** Seconds. */
  step: number;
}

/** Never below the 15 s scrape interval: a finer step only repeats samples. */
const steps = [15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400];
/** Points per series a chart asks for at most: about one per pixel of a wide chart. */
export const MAX_POINTS = 500;

export function chooseStep(rangeSeconds: number): number {
  return steps.find((s) => rangeSeconds / s <= MAX_POINTS) ?? Math.ceil(rangeSeconds / MAX_POINTS);
}

export function timeWindow(state: AppState, nowMs: number): TimeWindow {
  const [startMs, endMs] =
    state.range === 'custom' ? [state.from, state.to] : [nowMs - ranges[state.range] * 1000, nowMs];
  const start = Math.floor(startMs / 1000);
  const end = Math.floor(endMs / 1000);
  return { start, end, step: chooseStep(end - start) };
}
