/**
 * Exact-path and prefix routes. A known path with the wrong method answers 405 with `Allow`;
 * anything else 404. Each route has a short `name` used as the metrics label, never the raw
 * URL, so a scanner hitting random paths cannot create unbounded series.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError } from './respond.js';

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

export interface Route {
  /** Label for request metrics, e.g. `metrics`, `sensor`, `query_range`. */
  name: string;
  method: Method;
  /** Exact path, or with `prefix: true` every path starting with it. */
  path: string;
  prefix?: boolean;
  /** Route is reachable without credentials even when access control is on (health, optionally /metrics). */
  public?: boolean;
  /**
   * Left out of the request-duration histogram. For health probes: timing them says nothing
   * about the service and would add seven lines per probe to every scrape.
   */
  untimed?: boolean;
  handler: Handler;
}

export class Router {
  readonly #exact = new Map<string, Route[]>();
  readonly #prefixes: Route[] = [];

  add(route: Route): this {
    if (route.prefix) {
      this.#prefixes.push(route);
      // Longest prefix first, so /api/v1/label/ wins over /.
      this.#prefixes.sort((a, b) => b.path.length - a.path.length);
    } else {
      const list = this.#exact.get(route.path) ?? [];
      list.push(route);
      this.#exact.set(route.path, list);
    }
    return this;
  }

  /** The route for this request, or the status (404/405) and Allow header to answer with. */
  resolve(method: string, path: string): Route | { status: 404 | 405; allow?: string } {
    const candidates = this.#exact.get(path) ?? this.#prefixes.filter((r) => path.startsWith(r.path));
    if (candidates.length === 0) return { status: 404 };
    const wanted = method === 'HEAD' ? 'GET' : method;
    const route = candidates.find((r) => r.method === wanted);
    if (route) return route;
    const allow = [...new Set(candidates.map((r) => r.method))];
    if (allow.includes('GET')) allow.push('HEAD');
    return { status: 405, allow: allow.join(', ') };
  }
}

export function sendRouteError(res: ServerResponse, result: { status: 404 | 405; allow?: string }): void {
  if (result.status === 405) {
    sendError(res, 405, 'method_not_allowed', 'method not allowed for this path', {
      allow: result.allow ?? '',
    });
  } else {
    sendError(res, 404, 'not_found', 'no such endpoint');
  }
}

export type { IncomingMessage, ServerResponse };
