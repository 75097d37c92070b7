/** Active alerts as a list, shared by the Now view (at the top) and the Alerts view. */
import { h } from '../dom.js';
import { formatTime } from '../format.js';
import type { ActiveAlert } from '../types.js';

export function severityBadge(severity: string): HTMLElement {
  const known = ['critical', 'warning', 'info'].includes(severity) ? severity : 'other';
  return h('span', { class: `badge severity-${known}` }, severity || 'none');
}

/** Labels other than the ones already shown as name and severity. */
export function labelList(labels: Record<string, string>): HTMLElement | null {
  const rest = Object.entries(labels).filter(([k]) => k !== 'alertname' && k !== 'severity');
  if (rest.length === 0) return null;
  return h('ul', { class: 'labels' }, ...rest.map(([k, v]) => h('li', {}, `${k}=${v}`)));
}

export function activeAlertList(alerts: readonly ActiveAlert[]): HTMLElement {
  return h(
    'ul',
    { class: 'alert-list' },
    ...alerts.map((a) =>
      h(
        'li',
        { class: `alert-item severity-${a.severity}` },
        severityBadge(a.severity),
        ' ',
        h('strong', {}, a.name),
        a.annotations.summary ? ` — ${a.annotations.summary}` : '',
        h('span', { class: 'muted' }, ` since ${formatTime(a.startsAt)}`),
        labelList(a.labels),
      ),
    ),
  );
}
