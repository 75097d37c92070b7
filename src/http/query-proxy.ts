/**
 * A read-only proxy to VictoriaMetrics' Prometheus query API, for the built-in dashboard and for
 * Grafana. VictoriaMetrics itself listens on loopback only and also serves import, delete and
 * admin endpoints; this proxy is the one door to it, so it forwards exactly five read endpoints
 * and refuses everything else under /api/v1/ with 403 `forbidden_endpoint` (not 404, so a user
 * pointing a client at edgewatch learns the endpoint exists but is deliberately closed).
 *
 * Queries are checked before they reach the database: a 4 KiB query cap, parseable times, and
 * the range and resolution limits below, so one careless 1-second-step query over a year cannot
 * take the box's memory. Only known parameters are forwarded and the upstream path is built from
 * the allow-list, never from the request path.
 *
 * node:http `request` with a keep-alive agent is used instead of fetch: no undici pool, no web
 * streams, and the upstream body is piped straight through without buffering.
 */
import { Agent, type ClientRequest, type IncomingMessage, request } from 'node:http';
import { pipeline, Transform, type TransformCallback } from 'node:stream';
import { defineOptions } from '../config/option.js';
import { formatDuration } from '../config/units.js';
import type { Logger } from '../log/logger.js';
import { acceptsGzip } from './accept-encoding.js';
import { queryBatchRoute } from './query-batch.js';
import { type Endpoint, endpoints, labelPrefix, labelValues, openEndpointsText } from './query-endpoints.js';
import {
  checkParams,
  labelValuesPath,
  MAX_BODY_BYTES,
  type QueryLimits,
  RequestError,
} from './query-params.js';
import { readBody } from './read-body.js';
import { sendError } from './respond.js';

import type { Handler, Route, ServerResponse } from './router.js';

export const queryProxyOptions = defineOptions({
  maxRange: {
    name: 'query.max-range',
    kind: 'duration',
    notATimer: true,
    default: 31 * 86_400_000,
    min: 60_000,
    description: 'Longest time range (end - start) a query through /api/v1/ may cover.',
  },
  maxPoints: {
    name: 'query.max-points',
    kind: 'int',
    default: 11_000,
    min: 10,
    unit: 'points per series',
    description:
      'Most points per series a range query may ask for ((end - start) / step), as Prometheus limits it.',
  },
  timeout: {
    name: 'query.timeout',
    kind: 'duration',
    default: 30_000,
    min: 1000,
    description:
      'How long VictoriaMetrics may take to answer a proxied query; it is told to cancel the query then, and the proxy answers 504.',
  },
  maxResponseSize: {
    name: 'query.max-response-size',
    kind: 'bytes',
    default: 16 * 1024 ** 2,
    min: 64 * 1024,
    description:
      'Largest response the proxy passes on. Larger ones are refused with 502 when VictoriaMetrics announces the length, cut off otherwise.',
  },
});

export interface QueryProxyOptions extends QueryLimits {
  /** Base URL of VictoriaMetrics, e.g. http://127.0.0.1:8428. */
  upstream: string;
  /** Undefined: no limit. */
  maxResponseBytes?: number;
  log?: Logger;
}

export function createQueryProxy(opts: QueryProxyOptions): Route[] {
  const upstream = new URL(opts.upstream);
  // Few sockets: the box has two cores and VictoriaMetrics queues work beyond its own concurrency
  // limit anyway. Idle sockets close after 30 s, before VictoriaMetrics' 1 min idle timeout, so a
  // reused socket is rarely one the server is closing.
  const agent = new Agent({ keepAlive: true, maxSockets: 4, maxFreeSockets: 2, timeout: 30_000 });

  const proxy =
    (endpoint: Endpoint, fixedPath?: string): Handler =>
    async (req, res, url) => {
      try {
        const path = fixedPath ?? labelValuesPath(url.pathname);
        const params = await requestParams(req, url);
        const forwarded = checkParams(endpoint, params, opts, Date.now());
        forward(req, res, { agent, upstream, path, body: forwarded.toString(), opts });
      } catch (err) {
        if (!(err instanceof RequestError)) throw err;
        sendError(res, err.status, err.code, err.message);
      }
    };

  const routes: Route[] = [];
  for (const [path, endpoint] of Object.entries(endpoints)) {
    for (const method of ['GET', 'POST'] as const) {
      routes.push({ name: endpoint.name, method, path, handler: proxy(endpoint, path) });
    }
  }
  for (const method of ['GET', 'POST'] as const) {
    routes.push({
      name: labelValues.name,
      method,
      path: labelPrefix,
      prefix: true,
      handler: proxy(labelValues),
    });
  }
  routes.push(queryBatchRoute({ agent, upstream, opts }));
  for (const method of ['GET', 'POST', 'PUT', 'DELETE'] as const) {
    routes.push({ name: 'api_forbidden', method, path: '/api/v1/', prefix: true, handler: forbidden });
  }
  return routes;
}

const forbidden: Handler = (_req, res, url) => {
  sendError(
    res,
    403,
    'forbidden_endpoint',
    `${url.pathname.slice(0, 100)} is not available through edgewatch: only the read-only endpoints ` +
      `${openEndpointsText} are`,
  );
};
/** Query-string parameters plus, for POST, the form body (body first, as Go's ParseForm orders them). */
async function requestParams(req: IncomingMessage, url: URL): Promise<URLSearchParams> {
  if (req.method !== 'POST') return url.searchParams;
  const type = req.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw new RequestError(
      415,
      'unsupported_media_type',
      'POST bodies must be application/x-www-form-urlencoded',
    );
  }
  const body = await readBody(req, MAX_BODY_BYTES);
  const params = new URLSearchParams(body);
  for (const [key, value] of url.searchParams) params.append(key, value);
  return params;
}

interface Exchange {
  agent: Agent;
  upstream: URL;
  path: string;
  body: string;
  opts: QueryProxyOptions;
}

/** Sends the checked query upstream as a form POST and streams the answer back with its status. */
function forward(req: IncomingMessage, res: ServerResponse, ex: Exchange, retried = false): void {
  const { opts } = ex;
  let timedOut = false;
  const upstreamReq: ClientRequest = request({
    agent: ex.agent,
    protocol: ex.upstream.protocol,
    hostname: ex.upstream.hostname,
    port: ex.upstream.port,
    method: 'POST',
    path: ex.path,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': Buffer.byteLength(ex.body),
      accept: 'application/json',
      // VictoriaMetrics compresses when asked; the gzip body is passed on untouched.
      'accept-encoding': acceptsGzip(req.headers['accept-encoding']) ? 'gzip' : 'identity',
    },
  });

  // The deadline covers the time to the response headers: VictoriaMetrics evaluates the whole
  // query before it sends them, so that is where a slow query spends its time.
  const timer = setTimeout(() => {
    timedOut = true;
    upstreamReq.destroy(new Error('query.timeout reached'));
  }, opts.timeoutMs);

  const onClientGone = () => {
    if (!res.writableFinished) upstreamReq.destroy();
  };
  res.once('close', onClientGone);

  upstreamReq.on('response', (upstreamRes) => {
    clearTimeout(timer);
    relay(upstreamRes, res, opts);
  });

  upstreamReq.on('error', (err: NodeJS.ErrnoException) => {
    clearTimeout(timer);
    if (res.destroyed) return;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (timedOut) {
      opts.log?.warn('query timed out', { path: ex.path, timeoutMs: opts.timeoutMs });
      sendError(
        res,
        504,
        'upstream_timeout',
        `VictoriaMetrics did not answer within ${formatDuration(opts.timeoutMs)} (query.timeout)`,
      );
      return;
    }
    // A kept-alive socket the server closed at the moment it was reused: one retry, as the
    // node:http documentation recommends.
    if (!retried && upstreamReq.reusedSocket && err.code === 'ECONNRESET') {
      res.off('close', onClientGone);
      forward(req, res, ex, true);
      return;
    }
    opts.log?.warn('VictoriaMetrics unreachable', { upstream: opts.upstream, error: err });
    sendError(
      res,
      503,
      'upstream_unavailable',
      `VictoriaMetrics at ${opts.upstream} is unreachable: ${err.code ?? err.message}`,
    );
  });

  upstreamReq.end(ex.body);
}

/** Headers worth passing on; VictoriaMetrics' others describe its own server. */
const relayedHeaders = ['content-type', 'content-encoding', 'content-length'];

function relay(upstreamRes: IncomingMessage, res: ServerResponse, opts: QueryProxyOptions): void {
  const limit = opts.maxResponseBytes;
  const length = Number(upstreamRes.headers['content-length'] ?? Number.NaN);
  if (limit !== undefined && length > limit) {
    upstreamRes.destroy();
    sendError(
      res,
      502,
      'response_too_large',
      `VictoriaMetrics answered with ${length} bytes; the limit is ${limit} (query.max-response-size): narrow the query`,
    );
    return;
  }
  const headers: Record<string, string> = { 'cache-control': 'no-store' };
  for (const name of relayedHeaders) {
    const value = upstreamRes.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  res.writeHead(upstreamRes.statusCode ?? 502, headers);
  const done = (err: Error | null | undefined) => {
    if (err && err.name === 'ResponseTooLarge') {
      opts.log?.warn('query response cut off', { limitBytes: limit });
    }
  };
  if (limit === undefined) pipeline(upstreamRes, res, done);
  else pipeline(upstreamRes, new ByteLimit(limit), res, done);
}

/** Passes bytes through until `limit`, then fails the pipeline (which destroys both ends). */
class ByteLimit extends Transform {
  #left: number;

  constructor(limit: number) {
    super();
    this.#left = limit;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#left -= chunk.length;
    if (this.#left < 0) {
      const err = new Error('response exceeds query.max-response-size');
      err.name = 'ResponseTooLarge';
      callback(err);
      return;
    }
    callback(null, chunk);
  }
}
