/** Alerts: what is firing now and what fired and resolved recently. Data: /api/alerts. */
import { describeError, getJson } from '../api.js';
import { banner, h, replace } from '../dom.js';
import { formatTime } from '../format.js';
import type { AlertEvent, AlertsReport } from '../types.js';
import { activeAlertList, labelList, severityBadge } from './alerts-list.js';
import type { View, ViewContext } from './view.js';

export function alertsView(): View {
  const root = h('div', { class: 'view view-alerts' });
  return {
    root,
    async update(ctx: ViewContext) {
      let report: AlertsReport;
      try {
        report = await getJson<AlertsReport>('/api/alerts', ctx.signal);
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        replace(root, h('h2', {}, 'Alerts'), banner('error', `Alerts unavailable: ${describeError(err)}`));
        return;
      }
      replace(
        root,
        h('h2', {}, 'Active alerts'),
        report.active.length === 0
          ? h('p', { class: 'all-clear' }, 'No alerts are firing.')
          : activeAlertList(report.active),
        h('h2', {}, 'History'),
        report.history.length === 0
          ? h('p', { class: 'muted' }, 'No alerts recorded yet.')
          : historyTable(report.history),
      );
    },
    destroy() {},
  };
}

function historyTable(events: readonly AlertEvent[]): HTMLElement {
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      {},
      h('caption', { class: 'visually-hidden' }, 'Alert history, newest first'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['Time', 'Alert', 'Severity', 'State', 'Details'].map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h(
        'tbody',
        {},
        ...events.map((e) =>
          h(
            'tr',
            {},
            h('td', {}, formatTime(e.time)),
            h('th', { scope: 'row' }, e.name),
            h('td', {}, severityBadge(e.severity)),
            h(
              'td',
              {},
              h('span', { class: `badge event-${e.state}` }, e.state === 'firing' ? 'Firing' : 'Resolved'),
            ),
            h('td', {}, e.annotations.summary ?? '', labelList(e.labels)),
          ),
        ),
      ),
    ),
  );
}
