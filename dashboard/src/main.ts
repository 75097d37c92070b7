/**
 * Entry point: reads the state from the URL hash, shows the view it names, and refreshes it on
 * the chosen interval. Refreshing stops while the tab is hidden or paused, so an open but
 * forgotten tab costs the box nothing.
 */
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { describeError, isAbort } from './api.js';
import { formatDateTime } from './format.js';
import { failureReason, freshness, REQUEST_DEADLINE_MS } from './freshness.js';
import {
  type AppState,
  formatState,
  parseState,
  type RangeName,
  type RefreshName,
  refreshes,
  type ViewName,
} from './state.js';
import { initTheme } from './theme.js';
import { alertsView } from './views/alerts.js';
import { chartsView } from './views/charts.js';
import { nowView } from './views/now.js';
import { stackView } from './views/stack.js';
import type { View } from './views/view.js';

const factories: Record<ViewName, () => View> = {
  now: nowView,
  charts: chartsView,
  alerts: alertsView,
  stack: stackView,
};

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`index.html lacks #${id}`);
  return el as T;
}

const main = byId<HTMLElement>('view');
const rangeSelect = byId<HTMLSelectElement>('range');
const rangeControls = byId<HTMLElement>('range-controls');
const customRange = byId<HTMLFormElement>('custom-range');
const fromInput = byId<HTMLInputElement>('from');
const toInput = byId<HTMLInputElement>('to');
const refreshSelect = byId<HTMLSelectElement>('refresh');
const pauseButton = byId<HTMLButtonElement>('pause');
const updated = byId<HTMLElement>('updated');
const staleBanner = byId<HTMLElement>('freshness');
const staleText = byId<HTMLElement>('freshness-text');

let state: AppState = parseState(location.hash);
let view: View | undefined;
let viewName: ViewName | undefined;
let inFlight: AbortController | undefined;
let timer: number | undefined;
/** End of the last refresh that brought the view's data; reset with the view. */
let lastOkMs: number | undefined;
let viewSinceMs = Date.now();
/** Why the last refresh failed; undefined after one that brought the view's data. */
let reason: string | undefined;
let firing: number | undefined;
let lastStaleText: string | undefined;

function navigate(patch: Partial<AppState>): void {
  location.hash = formatState({ ...state, ...patch });
}

/**
 * Fetches and draws the current view now, then schedules the next refresh. The view's requests
 * share one deadline: without it a frozen edgewatch left the page waiting, all green, forever.
 */
async function refresh(): Promise<void> {
  window.clearTimeout(timer);
  inFlight?.abort();
  const controller = new AbortController();
  inFlight = controller;
  let pastDeadline = false;
  const deadline = window.setTimeout(() => {
    pastDeadline = true;
    controller.abort();
  }, REQUEST_DEADLINE_MS);
  const current = view as View;
  main.setAttribute('aria-busy', 'true');
  try {
    const result = await current.update({ state, signal: controller.signal, navigate });
    if (current !== view) return;
    if (result.firing !== undefined) firing = result.firing;
    if (result.fresh) lastOkMs = Date.now();
    // What a fresh view lacks (VictoriaMetrics down while readings come) is said, not a failure.
    reason = result.fresh ? undefined : (result.reason ?? 'no data');
    updated.textContent = result.fresh
      ? `Updated ${formatDateTime(lastOkMs as number)}${result.reason ? ` · ${result.reason}` : ''}`
      : `Refresh failed at ${formatDateTime(Date.now())}: ${reason}`;
    document.body.dataset.loaded = viewName;
  } catch (err) {
    if (current !== view || (isAbort(err) && !pastDeadline)) return;
    reason = pastDeadline
      ? failureReason(navigator.onLine === false ? 'offline' : 'deadline')
      : describeError(err);
    updated.textContent = `Refresh failed at ${formatDateTime(Date.now())}: ${reason}`;
    document.body.dataset.loaded = viewName;
  } finally {
    window.clearTimeout(deadline);
    if (inFlight === controller) {
      main.removeAttribute('aria-busy');
      showFreshness();
      schedule();
    }
  }
}

/**
 * Every second: whether the view's data is still current. The banner says how old it is and why;
 * the view keeps its last values, marked stale (main.is-stale, and the view's own marks).
 */
function showFreshness(): void {
  if (!view) return;
  const interval = state.paused ? 0 : refreshes[state.refresh];
  const f = freshness({ nowMs: Date.now(), lastOkMs, sinceMs: viewSinceMs, intervalMs: interval, reason });
  staleBanner.hidden = !f.stale;
  staleText.textContent = f.text;
  main.classList.toggle('is-stale', f.stale);
  document.body.dataset.stale = String(f.stale);
  const mark = f.stale ? f.text : undefined;
  // Only on a change: a view's marks are elements, and rebuilding them each second drops focus.
  if ((mark === undefined) !== (lastStaleText === undefined)) view.markStale?.(mark);
  lastStaleText = mark;
  const count = firing ? `(${firing} firing) ` : '';
  document.title = `${f.stale ? '⚠ ' : ''}${count}${view.title} · edgewatch`;
}

/** Timeouts chained after each refresh, not setInterval: a slow box never stacks refreshes up. */
function schedule(): void {
  window.clearTimeout(timer);
  const interval = refreshes[state.refresh];
  if (interval === 0 || state.paused || document.visibilityState === 'hidden') return;
  timer = window.setTimeout(() => void refresh(), interval);
}

function showState(): void {
  state = parseState(location.hash);
  if (state.view !== viewName) {
    view?.destroy();
    viewName = state.view;
    view = factories[state.view]();
    main.replaceChildren(view.root);
    delete document.body.dataset.loaded;
    lastOkMs = undefined;
    reason = undefined;
    lastStaleText = undefined;
    viewSinceMs = Date.now();
  }
  for (const link of document.querySelectorAll<HTMLAnchorElement>('nav a[data-view]')) {
    const name = link.dataset.view as ViewName;
    link.href = formatState({ ...state, view: name });
    if (name === state.view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  rangeControls.hidden = state.view !== 'charts';
  rangeSelect.value = state.range;
  customRange.hidden = state.range !== 'custom';
  if (state.range === 'custom') {
    fromInput.value = toLocalInput(state.from);
    toInput.value = toLocalInput(state.to);
  }
  refreshSelect.value = state.refresh;
  pauseButton.setAttribute('aria-pressed', String(state.paused));
  pauseButton.textContent = state.paused ? 'Resume' : 'Pause';
  void refresh();
}

/** `datetime-local` inputs hold local wall-clock time without a zone. */
function toLocalInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

rangeSelect.addEventListener('change', () => {
  const range = rangeSelect.value as RangeName;
  if (range !== 'custom') {
    navigate({ range });
    return;
  }
  // Start the custom range from the window on screen; Apply makes it the state.
  const now = Date.now();
  fromInput.value = toLocalInput(now - 3_600_000);
  toInput.value = toLocalInput(now);
  customRange.hidden = false;
});

customRange.addEventListener('submit', (event) => {
  event.preventDefault();
  const from = new Date(fromInput.value).getTime();
  const to = new Date(toInput.value).getTime();
  if (Number.isFinite(from) && Number.isFinite(to) && to > from) {
    fromInput.setCustomValidity('');
    navigate({ range: 'custom', from, to });
  } else {
    fromInput.setCustomValidity('The start must be before the end.');
    fromInput.reportValidity();
  }
});

refreshSelect.addEventListener('change', () => navigate({ refresh: refreshSelect.value as RefreshName }));
pauseButton.addEventListener('click', () => navigate({ paused: !state.paused }));

document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') {
    window.clearTimeout(timer);
    inFlight?.abort();
  } else if (!state.paused) {
    void refresh();
  }
});

// Offline is known at once: said now, and the next refresh comes as soon as the link is back.
window.addEventListener('offline', () => {
  reason = failureReason('offline');
  updated.textContent = `Offline since ${formatDateTime(Date.now())}: the values shown are kept`;
  showFreshness();
});
window.addEventListener('online', () => {
  if (!state.paused) void refresh();
});

window.addEventListener('hashchange', showState);
window.setInterval(showFreshness, 1000);
initTheme();
showState();
