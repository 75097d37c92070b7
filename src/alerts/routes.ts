/** GET /api/alerts (what the dashboard shows) and the receiver route. */
import { sendJson } from '../http/respond.js';
import type { Route } from '../http/router.js';
import { alertsReport } from './alert-json.js';
import type { AlertStore } from './alert-store.js';
import { type ReceiverOptions, receiverRoute } from './receiver.js';

export interface AlertRoutesOptions extends ReceiverOptions {
  store: AlertStore;
  /** Runs before a listing, so alerts that expired since the last sweep show as resolved. */
  expire: () => void;
}

export function alertRoutes(options: AlertRoutesOptions): Route[] {
  return [
    receiverRoute(options),
    {
      name: 'alerts',
      method: 'GET',
      path: '/api/alerts',
      handler: (_req, res) => {
        options.expire();
        sendJson(res, 200, alertsReport(options.store));
      },
    },
  ];
}
