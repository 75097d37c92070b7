/**
 * Local alerting, assembled: vmalert posts to the receiver, the store keeps state, every state
 * change is logged and handed to the action runner. `edgewatch up` adds `routes` to its
 * server, registers `collector` and calls `stop()` at shutdown.
 */
import type { Route } from '../http/router.js';
import type { Logger } from '../log/logger.js';
import { ActionRunner } from './actions.js';
import { AlertCollector } from './alert-collector.js';
import { type AlertChange, type AlertSender, AlertStore } from './alert-store.js';
import type { AlertingSettings } from './options.js';
import type { PostedAlert } from './payload.js';
import type { ReceiverSenders } from './receiver.js';
import { alertRoutes } from './routes.js';

/**
 * How often alerts that stopped being re-sent are resolved, ms. vmalert's expiry is four
 * evaluation intervals (a minute at 15 s), so a few seconds late is within the noise.
 */
const EXPIRY_SWEEP_MS = 5000;

/** Labels, characters of each label value, and of the summary written per state change. */
const LOGGED_LABELS = 16;
const LOGGED_LABEL_LENGTH = 64;
const LOGGED_SUMMARY_LENGTH = 256;

/** The labels as an object (JSON logs stay queryable), at most 16 of them, values clipped. */
function loggedLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(labels).slice(0, LOGGED_LABELS)) {
    out[clip(name, LOGGED_LABEL_LENGTH)] = clip(value, LOGGED_LABEL_LENGTH);
  }
  return out;
}

function clip(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length)}…(${text.length} characters)`;
}

export interface Alerting {
  routes: Route[];
  collector: AlertCollector;
  store: AlertStore;
  /**
   * Alerts edgewatch raises itself, about what vmalert cannot see (storage read-only, a
   * component down): stored, listed, logged and acted on like vmalert's, in their own class.
   * An alert with endsAt at or before now resolves.
   */
  raise(alerts: readonly PostedAlert[]): void;
  /** Resolves when no action command runs or waits (for tests and shutdown). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export function createAlerting(
  settings: AlertingSettings,
  log: Logger,
  now: () => number = Date.now,
  senders: ReceiverSenders = {},
): Alerting {
  const alertLog = log.child({ component: 'alerting' });
  const store = new AlertStore(settings);
  // Counted as of the scrape, so an alert that expired since the last sweep is not shown as
  // active in /metrics while GET /api/alerts (which expires first) shows it resolved.
  const collector = new AlertCollector(() => store.countBySeverity(now()));
  // One runner per sender, so a flood of other senders' alerts cannot fill the queue that
  // vmalert's actions wait in; others get one shell at a time and a short queue.
  const runner = (concurrency?: number, queueSize?: number) =>
    settings.actionCommand === ''
      ? undefined
      : new ActionRunner({
          command: settings.actionCommand,
          timeoutMs: settings.actionTimeoutMs,
          log: alertLog,
          onResult: (result) => collector.actionRuns[result].value++,
          onDrop: () => collector.actionsDropped.value++,
          concurrency,
          queueSize,
        });
  const runners: Record<AlertSender, ActionRunner | undefined> = {
    vmalert: runner(),
    // A handful of conditions at most (stack-alerts.ts), each changing state rarely.
    edgewatch: runner(1, 8),
    other: runner(1, 8),
  };

  const changed = (changes: readonly AlertChange[]) => {
    for (const change of changes) {
      const fields = {
        alert: change.name,
        severity: change.severity,
        fingerprint: change.fingerprint,
        // Bounded: a state change's log line stays under ~1.5 KiB whatever the alert holds.
        labels: loggedLabels(change.labels),
        summary: clip(change.annotations.summary ?? '', LOGGED_SUMMARY_LENGTH),
      };
      if (change.state === 'firing') alertLog.warn('alert firing', fields);
      else alertLog.info('alert resolved', fields);
      runners[change.sender ?? 'vmalert']?.enqueue(change);
    }
  };
  const expire = () => changed(store.expire(now()));

  const sweep = setInterval(expire, EXPIRY_SWEEP_MS);
  sweep.unref();

  const receive = (alerts: readonly PostedAlert[], sender: AlertSender) => {
    // The counter is of POST /api/v2/alerts: edgewatch's own alerts never come over HTTP.
    if (sender !== 'edgewatch') collector.notifications.value += alerts.length;
    const { changes, rejected } = store.receive(alerts, now(), sender);
    if (rejected > 0) {
      collector.rejected.value += rejected;
      alertLog.warn('alerts dropped: alerting.max-active reached', {
        rejected,
        sender,
        maxActive: settings.maxActive,
      });
    }
    changed(changes);
  };

  const routes = alertRoutes({
    store,
    expire,
    maxPayloadBytes: settings.maxPayloadBytes,
    senders,
    onAlerts: (alerts, sender) => receive(alerts, sender),
  });

  return {
    routes,
    collector,
    store,
    raise: (alerts) => receive(alerts, 'edgewatch'),
    idle: async () => {
      await Promise.all(Object.values(runners).map((r) => r?.idle()));
    },
    stop: async () => {
      clearInterval(sweep);
      await Promise.all(Object.values(runners).map((r) => r?.stop()));
    },
  };
}
