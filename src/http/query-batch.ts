/**
 * POST /api/query_batch: the dashboard's queries of one refresh in one request. Each query is
 * checked as the single-query proxy checks it (allow-list, limits, deadline; query-params.ts),
 * sent to VictoriaMetrics over the proxy's own keep-alive agent (at most 4 sockets), and its
 * answer put in the result list in the order asked. One query failing (VictoriaMetrics down,
 * slow, a bad expression) fails that entry, not the batch, so the page can say which chart lacks
 * data; a refused batch (shape, count, a forbidden endpoint) is a 4xx naming the query.
 *
 * Why: the browser opens 6 connections per host. With 12 single queries per Charts refresh and
 * VictoriaMetrics stopped, the last ones queued behind the first ones' 30 s timeouts and the page
 * said nothing for ~60 s; one request answers within the shortest deadline the page asked for.
 */
import type { Agent, IncomingMessage } from 'node:http';
import { request } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { ApiErrorCode, QueryBatchResponseJson, QueryBatchResultJson } from '../api/types.js';
import { formatDuration } from '../config/units.js';
import { acceptsGzip } from './accept-encoding.js';
import {
  type CheckedQuery,
  checkBatch,
  MAX_BODY_BYTES,
  type QueryLimits,
  RequestError,
} from './query-params.js';
import { readBody } from './read-body.js';
import { sendError } from './respond.js';
import type { Route, ServerResponse } from './router.js';

const gzipAsync = promisify(gzip);

export interface BatchContext {
  agent: Agent;
  upstream: URL;
  /** The proxy's options (query-proxy.ts imports this file, so not its type by name). */
  opts: QueryLimits & { upstream: string; maxResponseBytes?: number };
}

export function queryBatchRoute(ctx: BatchContext): Route {
  return {
    name: 'query_batch',
    method: 'POST',
    path: '/api/query_batch',
    handler: async (req, res) => {
      let queries: CheckedQuery[];
      try {
        queries = checkBatch(await readJson(req), ctx.opts, Date.now());
      } catch (err) {
        if (!(err instanceof RequestError)) throw err;
        sendError(res, err.status, err.code, err.message);
        return;
      }
      const gone = new AbortController();
      res.once('close', () => {
        if (!res.writableFinished) gone.abort();
      });
      // The whole batch shares query.max-response-size: 40 queries may not take 40 times it.
      const budget = { left: ctx.opts.maxResponseBytes ?? Number.POSITIVE_INFINITY };
      const results = await Promise.all(queries.map((q) => ask(ctx, q, budget, gone.signal)));
      if (gone.signal.aborted) return;
      await sendBatch(req, res, { results });
    },
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (!type.startsWith('application/json')) {
    throw new RequestError(415, 'unsupported_media_type', 'POST /api/query_batch takes application/json');
  }
  const text = await readBody(req, MAX_BODY_BYTES);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new RequestError(400, 'bad_batch', 'body is not valid JSON');
  }
}

/** gzip when accepted: a Charts refresh is ~100 KB of JSON, ~10 KB gzipped, over a site's link. */
async function sendBatch(req: IncomingMessage, res: ServerResponse, body: QueryBatchResponseJson) {
  const json = Buffer.from(JSON.stringify(body));
  const zipped = acceptsGzip(req.headers['accept-encoding']);
  const payload = zipped ? await gzipAsync(json) : json;
  if (res.destroyed) return;
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': payload.length,
    'cache-control': 'no-store',
    vary: 'accept-encoding',
    ...(zipped ? { 'content-encoding': 'gzip' } : {}),
  });
  res.end(payload);
}

const failure = (code: ApiErrorCode, error: string): QueryBatchResultJson => ({
  status: 'error',
  errorType: code,
  code,
  error,
});

/** One query upstream; never rejects: every failure is an error entry. */
function ask(
  ctx: BatchContext,
  q: CheckedQuery,
  budget: { left: number },
  signal: AbortSignal,
  retried = false,
): Promise<QueryBatchResultJson> {
  const { upstream, opts } = ctx;
  return new Promise((resolve) => {
    let timedOut = false;
    const upstreamReq = request({
      agent: ctx.agent,
      protocol: upstream.protocol,
      hostname: upstream.hostname,
      port: upstream.port,
      method: 'POST',
      path: q.path,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': Buffer.byteLength(q.form),
        accept: 'application/json',
      },
    });
    const timer = setTimeout(() => {
      timedOut = true;
      upstreamReq.destroy(new Error('timeout'));
    }, q.timeoutMs);
    const abandon = () => upstreamReq.destroy(new Error('client gone'));
    signal.addEventListener('abort', abandon, { once: true });
    const settle = (result: QueryBatchResultJson) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', abandon);
      resolve(result);
    };

    upstreamReq.on('response', (upstreamRes) => {
      collect(upstreamRes, budget).then(
        (text) => settle(parseAnswer(text, upstreamRes.statusCode ?? 502)),
        () =>
          settle(
            failure(
              'response_too_large',
              `answers passed query.max-response-size (${opts.maxResponseBytes} bytes) for the batch: narrow it`,
            ),
          ),
      );
    });
    upstreamReq.on('error', (err: NodeJS.ErrnoException) => {
      if (timedOut) {
        settle(
          failure('upstream_timeout', `VictoriaMetrics did not answer within ${formatDuration(q.timeoutMs)}`),
        );
      } else if (!retried && upstreamReq.reusedSocket && err.code === 'ECONNRESET') {
        // A kept-alive socket closed by the server as it was reused: one retry, as in forward().
        clearTimeout(timer);
        signal.removeEventListener('abort', abandon);
        resolve(ask(ctx, q, budget, signal, true));
      } else {
        settle(
          failure(
            'upstream_unavailable',
            `VictoriaMetrics at ${opts.upstream} is unreachable: ${err.code ?? err.message}`,
          ),
        );
      }
    });
    upstreamReq.end(q.form);
  });
}

function collect(res: IncomingMessage, budget: { left: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => {
      budget.left -= chunk.length;
      if (budget.left < 0) {
        res.destroy();
        reject(new Error('too large'));
        return;
      }
      chunks.push(chunk);
    });
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

/** VictoriaMetrics' body as it is (success or its own error), when it is the Prometheus shape. */
function parseAnswer(text: string, status: number): QueryBatchResultJson {
  try {
    const body = JSON.parse(text) as QueryBatchResultJson;
    if (body.status === 'success' || body.status === 'error') return body;
  } catch {
    // Not JSON: said below.
  }
  return { status: 'error', errorType: `http_${status}`, error: `VictoriaMetrics answered HTTP ${status}` };
}
