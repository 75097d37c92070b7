/**
 * The query proxy's checks of parameters and limits, pure: no sockets, no clock (the caller passes
 * `nowMs`), so each limit is unit-tested without a VictoriaMetrics.
 */
import type { ApiErrorCode } from '../api/types.js';
import { parseRfc3339 } from '../config/rfc3339.js';
import { formatDuration, parseDuration } from '../config/units.js';
import { type Endpoint, endpoints, labelPrefix, labelValuesDoor } from './query-endpoints.js';

/** The limits checkParams enforces (from the query.* options). */
export interface QueryLimits {
  maxRangeMs: number;
  maxPoints: number;
  timeoutMs: number;
}

/** Longest `query` or `match[]` accepted, in bytes. Dashboards' longest query is ~200 bytes. */
export const MAX_QUERY_BYTES = 4096;
/** A POST body holds a few of those plus times; anything larger is not a query. */
export const MAX_BODY_BYTES = 64 * 1024;
const MAX_MATCHERS = 20;
const labelNameRe = /^[a-zA-Z_][a-zA-Z0-9_.]*$/;

/** A request the proxy refuses before asking VictoriaMetrics. */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const badParam = (code: ApiErrorCode, message: string) => new RequestError(400, code, message);

/** `/api/v1/label/<name>/values` → the upstream path; any other shape is a closed endpoint. */
export function labelValuesPath(pathname: string): string {
  const m = /^\/api\/v1\/label\/([^/]+)\/values$/.exec(pathname);
  if (!m) {
    throw new RequestError(
      403,
      'forbidden_endpoint',
      `${pathname.slice(0, 100)} is not available through edgewatch: label values are at ${labelValuesDoor}`,
    );
  }
  let name: string;
  try {
    name = decodeURIComponent(m[1] as string);
  } catch {
    name = '';
  }
  if (!labelNameRe.test(name))
    throw badParam('invalid_parameter', 'label name must match [a-zA-Z_][a-zA-Z0-9_.]*');
  return `${labelPrefix}${name}/values`;
}

/** Validates against the limits and returns only the parameters VictoriaMetrics should see. */
export function checkParams(
  endpoint: Endpoint,
  params: URLSearchParams,
  opts: QueryLimits,
  nowMs: number,
): URLSearchParams {
  for (const name of endpoint.required) {
    if (!params.has(name)) throw badParam('missing_parameter', `parameter ${name} is required`);
  }
  const out = new URLSearchParams();
  for (const name of endpoint.params) {
    if (name === 'match[]') {
      const matchers = params.getAll(name);
      if (matchers.length > MAX_MATCHERS) {
        throw badParam('too_many_matchers', `at most ${MAX_MATCHERS} match[] parameters are allowed`);
      }
      for (const m of matchers) out.append(name, checkQueryText(name, m));
    } else {
      const value = params.get(name);
      if (value !== null && value !== '')
        out.set(name, name === 'query' ? checkQueryText(name, value) : value);
    }
  }

  const time = optionalTime(out, 'time');
  const start = optionalTime(out, 'start');
  const end = optionalTime(out, 'end');
  if (start !== undefined) {
    const range = (end ?? time ?? nowMs) - start;
    if (range < 0) throw badParam('invalid_range', 'end is before start');
    if (range > opts.maxRangeMs) {
      throw badParam(
        'range_too_long',
        `time range is ${formatDuration(Math.round(range))}; the limit is ${formatDuration(opts.maxRangeMs)} (query.max-range)`,
      );
    }
    if (endpoint.params.includes('step')) checkResolution(out, range, opts.maxPoints);
  }

  // VictoriaMetrics is told the same deadline the proxy enforces, so it stops working on a
  // query nobody waits for any more. A client may ask for less, never for more.
  if (endpoint.params.includes('timeout')) {
    const clientTimeout = out.get('timeout');
    const asked = clientTimeout === null ? undefined : parseDuration(clientTimeout);
    if (clientTimeout !== null && (asked === undefined || asked <= 0)) {
      throw badParam(
        'invalid_parameter',
        `timeout: cannot parse ${JSON.stringify(clientTimeout)} as a duration`,
      );
    }
    out.set('timeout', `${Math.min(asked ?? opts.timeoutMs, opts.timeoutMs)}ms`);
  }
  return out;
}

function checkQueryText(name: string, text: string): string {
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_QUERY_BYTES) {
    throw badParam('query_too_long', `${name} is ${bytes} bytes; the limit is ${MAX_QUERY_BYTES} bytes`);
  }
  return text;
}

function checkResolution(params: URLSearchParams, rangeMs: number, maxPoints: number): void {
  const raw = params.get('step') as string;
  const stepMs = parseDuration(raw);
  if (stepMs === undefined || stepMs <= 0) {
    throw badParam(
      'invalid_parameter',
      `step: cannot parse ${JSON.stringify(raw)} as a positive duration (15s) or number of seconds`,
    );
  }
  const points = Math.floor(rangeMs / stepMs);
  if (points > maxPoints) {
    throw badParam(
      'too_many_points',
      `query would return ${points} points per series; the limit is ${maxPoints} (query.max-points): use a larger step`,
    );
  }
}

/** Unix seconds (with fraction) or RFC 3339, as the Prometheus API accepts; milliseconds out. */
export function parseApiTime(raw: string): number | undefined {
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw) * 1000;
  return parseRfc3339(raw);
}

function optionalTime(params: URLSearchParams, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === null) return undefined;
  const ms = parseApiTime(raw);
  if (ms === undefined) {
    throw badParam(
      'invalid_parameter',
      `${name}: cannot parse ${JSON.stringify(raw)} as RFC 3339 or unix seconds`,
    );
  }
  return ms;
}

/**
 * Most queries one POST /api/query_batch may carry. The dashboard's Charts view asks 24 (a range
 * and an instant query per series query); the bound keeps one request from queueing hundreds.
 */
export const MAX_BATCH_QUERIES = 40;

/** One checked query of a batch: the upstream path and form body, and its own deadline. */
export interface CheckedQuery {
  path: string;
  form: string;
  timeoutMs: number;
}

/** Validates a parsed batch body: its shape, its size, and each query as checkParams does. */
export function checkBatch(body: unknown, opts: QueryLimits, nowMs: number): CheckedQuery[] {
  const queries = (body as { queries?: unknown } | null)?.queries;
  if (typeof body !== 'object' || body === null || !Array.isArray(queries)) {
    throw badParam(
      'bad_batch',
      'body must be JSON {"queries": [{"endpoint": "/api/v1/query", "params": {...}}]}',
    );
  }
  if (queries.length > MAX_BATCH_QUERIES) {
    throw badParam(
      'too_many_queries',
      `batch has ${queries.length} queries; the limit is ${MAX_BATCH_QUERIES}: split it`,
    );
  }
  return queries.map((q: unknown, i) => {
    const { endpoint: path, params } = (q ?? {}) as { endpoint?: unknown; params?: unknown };
    const endpoint =
      typeof path === 'string' && Object.hasOwn(endpoints, path)
        ? endpoints[path as keyof typeof endpoints]
        : undefined;
    if (endpoint === undefined) {
      throw new RequestError(
        403,
        'forbidden_endpoint',
        `queries[${i}].endpoint ${JSON.stringify(path).slice(0, 100)} is not available: a batch may ask ${Object.keys(endpoints).join(', ')}`,
      );
    }
    const form = new URLSearchParams();
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      throw badParam('bad_batch', `queries[${i}].params must be an object of strings`);
    }
    for (const [name, value] of Object.entries(params)) {
      if (typeof value !== 'string')
        throw badParam('bad_batch', `queries[${i}].params.${name} must be a string`);
      form.append(name, value);
    }
    try {
      const out = checkParams(endpoint, form, opts, nowMs);
      const timeout = out.get('timeout');
      return {
        path: path as string,
        form: out.toString(),
        timeoutMs: timeout === null ? opts.timeoutMs : (parseDuration(timeout) ?? opts.timeoutMs),
      };
    } catch (err) {
      if (err instanceof RequestError)
        throw new RequestError(err.status, err.code, `queries[${i}]: ${err.message}`);
      throw err;
    }
  });
}
