/**
 * Stack: the remote_write endpoints (only with forwarding), from /api/stack's `uplinks`: whether
 * each is up, what waits in its disk queue against the cap, how far delivery is known to have
 * reached, and what it last refused with. A field engineer on a flaky link asks exactly this.
 */
import { h, scrollTable } from '../dom.js';
import { durationSince, formatBytes, formatTime } from '../format.js';
import type { UplinkJson } from '../types.js';

export function uplinkTable(uplinks: readonly UplinkJson[], nowMs: number): HTMLElement {
  const columns = ['Endpoint', 'State', 'Queued on disk', 'Delivered until', 'Last refusal', 'Dropped'];
  const rows = uplinks.map((u) => {
    const share =
      u.queue_max_bytes > 0
        ? ` (${Math.round((100 * u.pending_bytes) / u.queue_max_bytes)} % of ${formatBytes(u.queue_max_bytes)})`
        : '';
    return h(
      'tr',
      {},
      h('th', { scope: 'row' }, u.endpoint),
      h(
        'td',
        {},
        h('span', { class: `badge health-${u.up ? 'healthy' : 'unhealthy'}` }, u.up ? 'Up' : 'Down'),
      ),
      h('td', { class: 'num' }, `${formatBytes(u.pending_bytes)}${share}`),
      h(
        'td',
        {},
        u.delivered_until === null
          ? 'nothing yet'
          : `${durationSince(u.delivered_until, nowMs)} ago (${formatTime(u.delivered_until)})`,
      ),
      h('td', {}, u.last_error_status === null ? '–' : `HTTP ${u.last_error_status}`),
      h(
        'td',
        { class: 'num' },
        u.dropped_bytes > 0 ? h('strong', { class: 'over' }, formatBytes(u.dropped_bytes)) : '0',
      ),
    );
  });
  return scrollTable('Uplinks to central stores', columns, rows);
}
