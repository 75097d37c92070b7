/** Alerts: what is firing now and what fired and resolved recently. Data: /api/alerts. */
import { describeError, getJson } from '../api.js';
import { banner, h, replace, scrollTable } from '../dom.js';
import { durationSince, formatTime } from '../format.js';
import type { AlertEvent, AlertsReport } from '../types.js';
import { activeAlertList, labelList, severityBadge } from './alerts-list.js';
import type { RefreshResult, View, ViewContext } from './view.js';

export function alertsView(): View {
  const notice = h('div');
  const body = h('div');
  const root = h('div', { class: 'view view-alerts' }, notice, body);
  return {
    root,
    title: 'Alerts',
    async update(ctx: ViewContext): Promise<RefreshResult> {
      let report: AlertsReport;
      try {
        report = await getJson<AlertsReport>('/api/alerts', ctx.signal);
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        // The last lists stay below, marked not current by the page.
        replace(notice, banner('error', `Alerts unavailable: ${describeError(err)}`));
        return { fresh: false, reason: describeError(err) };
      }
      const nowMs = Date.now();
      replace(notice);
      replace(
        body,
        h('h2', {}, 'Active alerts'),
        report.active.length === 0
          ? h('p', { class: 'all-clear' }, 'No alerts are firing.')
          : activeAlertList(report.active, nowMs),
        h('h2', {}, 'History'),
        report.history.length === 0
          ? h('p', { class: 'muted' }, 'No alerts recorded yet.')
          : historyTable(report.history, nowMs),
      );
      return { fresh: true, firing: report.active.length };
    },
    destroy() {},
  };
}

function historyTable(events: readonly AlertEvent[], nowMs: number): HTMLElement {
  const rows = events.map((e, i) =>
    h(
      'tr',
      {},
      h(
        'td',
        {},
        `${durationSince(e.time, nowMs)} ago`,
        h('br'),
        h('span', { class: 'muted' }, formatTime(e.time)),
      ),
      h('th', { scope: 'row' }, e.name),
      h('td', {}, severityBadge(e.severity)),
      h(
        'td',
        {},
        h('span', { class: `badge event-${e.state}` }, e.state === 'firing' ? 'Firing' : 'Resolved'),
        pairedText(events, i),
      ),
      h(
        'td',
        {},
        e.annotations.summary ?? '',
        e.annotations.description ? h('p', { class: 'alert-description' }, e.annotations.description) : null,
        labelList(e.labels),
      ),
    ),
  );
  return scrollTable(
    'Alert history',
    ['Time', 'Alert', 'Severity', 'State', 'Details'],
    rows,
    'Alert history, newest first',
  );
}

/**
 * A resolved row names how long its alert fired, from the firing row it closes (the next older
 * one with the same fingerprint), so the two read as a pair.
 */
function pairedText(events: readonly AlertEvent[], i: number): string {
  const e = events[i] as AlertEvent;
  if (e.state !== 'resolved') return '';
  const opened = events.slice(i + 1).find((o) => o.fingerprint === e.fingerprint);
  if (opened?.state !== 'firing') return '';
  return ` after ${durationSince(opened.time, new Date(e.time).getTime())}`;
}
