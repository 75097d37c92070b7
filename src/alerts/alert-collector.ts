/**
 * Alerting metrics. `edgewatch_alerts_active` is counted from the store at scrape time (a loop
 * over at most alerting.max-active entries), so it can never drift from what GET /api/alerts
 * shows; the counters are bumped by the receiver and the action runner.
 */
import { type ExpositionFormat, FamilyHeader, formatLabels } from '../metrics/exposition.js';
import { CounterFamily, type Series } from '../metrics/metric.js';
import type { Collector } from '../metrics/registry.js';
import type { ActionResult } from './actions.js';

/** Always printed, even at 0, so `edgewatch_alerts_active{severity="critical"} > 0` has a series to compare. */
const fixedSeverities = ['critical', 'warning', 'info'];

const activeHeader = new FamilyHeader({
  name: 'edgewatch_alerts_active',
  help: 'Alerts firing now, by severity label.',
  type: 'gauge',
});

export class AlertCollector implements Collector {
  readonly #notifications = new CounterFamily({
    name: 'edgewatch_alert_notifications_total',
    help: 'Alerts received on POST /api/v2/alerts (re-sends included).',
  });
  readonly notifications: Series = this.#notifications.series();
  readonly #rejected = new CounterFamily({
    name: 'edgewatch_alerts_rejected_total',
    help: 'New alerts not stored because alerting.max-active alerts were active.',
  });
  readonly rejected: Series = this.#rejected.series();
  readonly #actionRuns = new CounterFamily<'result'>({
    name: 'edgewatch_alert_action_runs_total',
    help: 'Runs of alerting.action-command by result: ok (exit 0), failed, timeout (killed).',
    labelNames: ['result'],
  });
  readonly actionRuns: Record<ActionResult, Series> = {
    ok: this.#actionRuns.series({ result: 'ok' }),
    failed: this.#actionRuns.series({ result: 'failed' }),
    timeout: this.#actionRuns.series({ result: 'timeout' }),
  };
  readonly #actionsDropped = new CounterFamily({
    name: 'edgewatch_alert_actions_dropped_total',
    help: 'Runs of alerting.action-command skipped because the queue was full.',
  });
  readonly actionsDropped: Series = this.#actionsDropped.series();

  constructor(private readonly activeBySeverity: () => ReadonlyMap<string, number>) {}

  collect(out: string, format: ExpositionFormat): string {
    const counts = this.activeBySeverity();
    out += activeHeader.text(format);
    const severities = [
      ...fixedSeverities,
      ...[...counts.keys()].filter((s) => !fixedSeverities.includes(s)).sort(),
    ];
    for (const severity of severities) {
      out += `edgewatch_alerts_active${formatLabels({ severity })} ${counts.get(severity) ?? 0}\n`;
    }
    out = this.#notifications.collect(out, format);
    out = this.#rejected.collect(out, format);
    out = this.#actionRuns.collect(out, format);
    return this.#actionsDropped.collect(out, format);
  }
}
