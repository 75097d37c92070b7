/** Stack: the supervised components, their health and memory against the budget. Data: /api/stack. */
import { describeError, getJson } from '../api.js';
import { banner, h, replace, scrollTable } from '../dom.js';
import { formatBytes, formatLastExit, formatSeconds } from '../format.js';
import type { Component, StackReport } from '../types.js';
import { uplinkTable } from './uplink-table.js';
import type { RefreshResult, View, ViewContext } from './view.js';

const healthText: Record<Component['health'], string> = {
  healthy: 'Healthy',
  starting: 'Starting',
  unhealthy: 'Unhealthy',
  stopped: 'Stopped',
};

export function stackView(): View {
  const notice = h('div');
  const body = h('div');
  const root = h('div', { class: 'view view-stack' }, notice, body);
  return {
    root,
    title: 'Stack',
    async update(ctx: ViewContext): Promise<RefreshResult> {
      let report: StackReport;
      try {
        report = await getJson<StackReport>('/api/stack', ctx.signal);
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        // The last table stays below, marked not current by the page.
        replace(notice, banner('error', `Stack status unavailable: ${describeError(err)}`));
        return { fresh: false, reason: describeError(err) };
      }
      replace(notice);
      const used = report.components.reduce((n, c) => n + c.memory.pss_bytes, 0);
      const over = used > report.budget_bytes;
      replace(
        body,
        h('h2', {}, 'Memory budget'),
        h(
          'p',
          { class: over ? 'budget over' : 'budget' },
          h(
            'label',
            { for: 'budget-meter' },
            `${formatBytes(used)} of ${formatBytes(report.budget_bytes)} (PSS)`,
          ),
          ' ',
          h('meter', {
            id: 'budget-meter',
            min: 0,
            max: report.budget_bytes,
            high: report.budget_bytes * 0.9,
            value: used,
          }),
          over ? h('strong', {}, ' Over budget') : '',
        ),
        h('h2', {}, 'Components'),
        componentTable(report.components),
        ...(report.uplinks.length > 0
          ? [h('h2', {}, 'Uplinks'), uplinkTable(report.uplinks, Date.now())]
          : []),
      );
      return { fresh: true };
    },
    destroy() {},
  };
}

function componentTable(components: readonly Component[]): HTMLElement {
  const columns = [
    'Component',
    'Health',
    'PID',
    'Uptime',
    'Restarts',
    'PSS',
    'Allowance',
    'RSS',
    'Anonymous',
  ];
  const rows = components.map((c) => {
    // Why it restarted, in the health cell: on a phone it stays next to the sticky name.
    const exit = formatLastExit(c.last_exit, c.health !== 'stopped', Date.now());
    return h(
      'tr',
      {},
      h('th', { scope: 'row' }, c.name),
      h(
        'td',
        {},
        h('span', { class: `badge health-${c.health}` }, healthText[c.health] ?? c.health),
        c.crash_looping ? h('span', { class: 'badge health-unhealthy' }, 'Crash-looping') : null,
        exit === undefined ? null : h('small', { class: 'last-exit' }, exit),
      ),
      h('td', {}, c.pid ?? '–'),
      h('td', {}, c.health === 'stopped' ? '–' : formatSeconds(c.uptime_seconds)),
      h('td', {}, c.restarts),
      h(
        'td',
        { class: 'num' },
        formatBytes(c.memory.pss_bytes),
        c.budget_bytes !== null && c.memory.pss_bytes > c.budget_bytes
          ? h('strong', { class: 'over' }, ' over')
          : null,
      ),
      h('td', { class: 'num' }, c.budget_bytes === null ? '–' : formatBytes(c.budget_bytes)),
      h('td', { class: 'num' }, formatBytes(c.memory.rss_bytes)),
      h('td', { class: 'num' }, formatBytes(c.memory.anon_bytes)),
    );
  });
  return scrollTable('Supervised components', columns, rows);
}
