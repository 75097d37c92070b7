/**
 * The request handler: routing, access control, request metrics. Building it is separate from
 * listening (server.ts), so tests can drive it on port 0 and `edgewatch up` can add routes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log/logger.js';
import type { HostPolicy } from './host-check.js';
import { sendError } from './respond.js';
import { type Route, Router, sendRouteError } from './router.js';
import type { ServiceCollector } from './service-collector.js';

/** Decides whether a request may reach a non-public route. */
export interface AccessCheck {
  check(req: IncomingMessage): Promise<boolean>;
  /** Headers for the 401 answer, e.g. WWW-Authenticate. */
  challenge(): Record<string, string>;
}

export interface AppOptions {
  routes: readonly Route[];
  metrics: ServiceCollector;
  log: Logger;
  access?: AccessCheck;
  /** Which Host headers may address this server (DNS rebinding); every host when absent. */
  hosts?: HostPolicy;
  /** One log line per request. Default: false (a scrape every 15 s would fill the log). */
  logRequests?: boolean;
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export function buildApp(options: AppOptions): RequestHandler {
  const router = new Router();
  for (const route of options.routes) router.add(route);
  const { metrics, log, access, hosts } = options;
  const logRequests = options.logRequests ?? false;

  return (req, res) => {
    const started = process.hrtime.bigint();
    // Only the path matters for routing; the base is never used for anything else. `GET //` and
    // other targets the URL parser rejects used to throw here, outside any handler, and end the
    // process with every component it supervises.
    const url = parseTarget(req.url);
    if (url === undefined) {
      sendError(res, 400, 'bad_request', 'malformed request target');
      return;
    }
    const resolved = router.resolve(req.method ?? 'GET', url.pathname);
    const routeName = 'name' in resolved ? resolved.name : 'other';
    const timed = !('untimed' in resolved && resolved.untimed);
    if (timed || logRequests) {
      res.once('finish', () => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        if (timed) metrics.requestDuration(routeName).observe(seconds);
        if (logRequests) {
          log.info('request', { method: req.method, path: url.pathname, status: res.statusCode, seconds });
        }
      });
    }

    if (hosts && !hosts.allows(req.headers.host)) {
      sendError(
        res,
        421,
        'host_not_allowed',
        'this server does not answer to that Host name; see web.allowed-hosts',
      );
      return;
    }
    if (!('name' in resolved)) {
      sendRouteError(res, resolved);
      return;
    }
    const handle = () => {
      try {
        const done = resolved.handler(req, res, url);
        if (done instanceof Promise) done.catch((err: unknown) => failed(res, log, routeName, err));
      } catch (err) {
        failed(res, log, routeName, err);
      }
    };
    if (!access || resolved.public) {
      handle();
      return;
    }
    access.check(req).then(
      (allowed) => {
        if (allowed) handle();
        else sendError(res, 401, 'unauthorized', 'credentials required', access.challenge());
      },
      (err: unknown) => failed(res, log, routeName, err),
    );
  };
}

function parseTarget(target: string | undefined): URL | undefined {
  // `//name/path` would parse as a host and a path: no client sends one, so it is refused.
  if (target?.startsWith('//')) return undefined;
  try {
    return new URL(target ?? '/', 'http://edgewatch');
  } catch {
    return undefined;
  }
}

function failed(res: ServerResponse, log: Logger, route: string, err: unknown): void {
  log.error('request failed', { route, error: err instanceof Error ? err : String(err) });
  if (!res.headersSent) sendError(res, 500, 'internal', 'internal error');
  else res.destroy();
}
