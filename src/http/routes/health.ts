/** Liveness and readiness for supervisors and load balancers. Public even when access control is on. */
import { sendJson } from '../respond.js';
import type { Route } from '../router.js';

export function healthRoutes(ready: () => boolean): Route[] {
  return [
    {
      name: 'healthz',
      method: 'GET',
      path: '/healthz',
      public: true,
      untimed: true,
      handler: (_req, res) => sendJson(res, 200, { status: 'ok' }),
    },
    {
      name: 'readyz',
      method: 'GET',
      path: '/readyz',
      public: true,
      untimed: true,
      handler: (_req, res) =>
        ready()
          ? sendJson(res, 200, { status: 'ready' })
          : sendJson(res, 503, { status: 'starting', message: 'sensors not sampled yet' }),
    },
  ];
}
