/**
 * The JSON shapes of alerts: GET /api/alerts (the dashboard codes against exactly these) and
 * EDGEWATCH_ALERT_JSON. Times are RFC 3339 text.
 */
import type { ActiveAlertJson, AlertChangeJson, AlertsReport } from '../api/types.js';
import type { ActiveAlert, AlertChange, AlertStore } from './alert-store.js';

function activeAlertJson(alert: ActiveAlert): ActiveAlertJson {
  return {
    fingerprint: alert.fingerprint,
    name: alert.name,
    severity: alert.severity,
    state: 'firing',
    labels: alert.labels,
    annotations: alert.annotations,
    startsAt: new Date(alert.startsAt).toISOString(),
    updatedAt: new Date(alert.updatedAt).toISOString(),
  };
}

export function alertChangeJson(change: AlertChange): AlertChangeJson {
  return {
    time: new Date(change.time).toISOString(),
    fingerprint: change.fingerprint,
    name: change.name,
    severity: change.severity,
    state: change.state,
    labels: change.labels,
    annotations: change.annotations,
  };
}

export function alertsReport(store: AlertStore): AlertsReport {
  return { active: store.active().map(activeAlertJson), history: store.history().map(alertChangeJson) };
}
