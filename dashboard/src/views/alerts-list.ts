/** Active alerts as a list, shared by the Now view (at the top) and the Alerts view. */
import { h } from '../dom.js';
import { durationSince, formatTime } from '../format.js';
import type { ActiveAlert } from '../types.js';

export function severityBadge(severity: string): HTMLElement {
  const known = ['critical', 'warning', 'info'].includes(severity) ? severity : 'other';
  return h('span', { class: `badge severity-${known}` }, severity || 'none');
}

/**
 * Labels worth a chip: not the name and severity (shown already), nor vmalert's and the scrape's
 * bookkeeping (alertgroup, instance, job), which said nothing to a field engineer and took the room.
 */
const hiddenLabels = new Set(['alertname', 'severity', 'alertgroup', 'instance', 'job']);

export function labelList(labels: Record<string, string>): HTMLElement | null {
  const rest = Object.entries(labels).filter(([k]) => !hiddenLabels.has(k));
  if (rest.length === 0) return null;
  return h('ul', { class: 'labels' }, ...rest.map(([k, v]) => h('li', {}, `${k}=${v}`)));
}

/**
 * Each alert: severity, the summary (or the name), how long it has fired, and the description
 * ("has read 22.5 °C, above 20 °C"). `compact` (Now) leaves out the description and the chips,
 * so three alerts and the readings fit a phone's first screen.
 */
export function activeAlertList(alerts: readonly ActiveAlert[], nowMs: number, compact = false): HTMLElement {
  return h(
    'ul',
    { class: 'alert-list' },
    ...alerts.map((a) =>
      h(
        'li',
        { class: `alert-item severity-${a.severity}` },
        severityBadge(a.severity),
        ' ',
        h('strong', {}, a.annotations.summary ?? a.name),
        h(
          'span',
          { class: 'muted' },
          ` · firing for ${durationSince(a.startsAt, nowMs)}`,
          compact ? '' : ` (since ${formatTime(a.startsAt)})`,
        ),
        h('span', { class: 'muted alert-name' }, ` · ${a.name}`),
        !compact && a.annotations.description
          ? h('p', { class: 'alert-description' }, a.annotations.description)
          : null,
        compact ? null : labelList(a.labels),
      ),
    ),
  );
}
