/**
 * Fetching JSON from the edgewatch server. Failures become ApiError with a message meant for the
 * page ("VictoriaMetrics unreachable"), never an exception left for the console.
 */
import { failureReason } from './freshness.js';
import type { ApiErrorCode, QueryBatchResponseJson, QueryBatchResultJson } from './types.js';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    /** `network`: no HTTP answer at all (edgewatch down, the link gone, the browser offline). */
    readonly kind: 'network' | 'http' = 'http',
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

/** Text for the page from any failure. */
export function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function getJson<T>(path: string, signal: AbortSignal): Promise<T> {
  return requestJson<T>(path, { signal, headers: { accept: 'application/json' }, cache: 'no-store' });
}

async function requestJson<T>(path: string, init: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch (err) {
    if (isAbort(err)) throw err;
    const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
    throw new ApiError(failureReason(offline ? 'offline' : 'network'), undefined, 'network');
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new ApiError(`${path}: HTTP ${res.status}, not JSON`, res.status);
  }
  if (!res.ok) throw new ApiError(errorText(path, res.status, body), res.status);
  return body as T;
}

/** edgewatch errors are `{error: code, message}`; Prometheus-API errors `{status: 'error', error: message}`. */
function errorText(path: string, status: number, body: unknown): string {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  // Any string may come from a proxy in front; only edgewatch's own codes are matched below.
  const code = typeof fields.error === 'string' ? (fields.error as ApiErrorCode) : undefined;
  const message = typeof fields.message === 'string' ? fields.message : code;
  if (code === 'upstream_unavailable') return 'VictoriaMetrics unreachable';
  if (code === 'upstream_timeout') return 'VictoriaMetrics did not answer in time';
  if (status === 404) return `${path} is not served by this edgewatch (404)`;
  return message ? `${message} (HTTP ${status})` : `${path}: HTTP ${status}`;
}

export interface BatchQuery {
  endpoint: '/api/v1/query' | '/api/v1/query_range';
  params: Record<string, string>;
}

/**
 * Every query of a refresh in one POST /api/query_batch (src/http/query-batch.ts): one of the
 * browser's 6 connections instead of a queue of them. Each entry is VictoriaMetrics' answer or
 * why there is none; the promise rejects only when the batch itself failed.
 */
export async function queryBatch(
  queries: readonly BatchQuery[],
  signal: AbortSignal,
): Promise<QueryBatchResultJson[]> {
  const body = await requestJson<QueryBatchResponseJson>('/api/query_batch', {
    method: 'POST',
    signal,
    cache: 'no-store',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify({ queries }),
  });
  if (!Array.isArray(body.results) || body.results.length !== queries.length) {
    throw new ApiError('unexpected answer from /api/query_batch');
  }
  return body.results;
}

/** Text for a failed entry of a batch; VictoriaMetrics' absence in the words the page uses. */
export function batchErrorText(r: QueryBatchResultJson & { status: 'error' }): string {
  if (r.code === 'upstream_unavailable') return 'VictoriaMetrics unreachable';
  if (r.code === 'upstream_timeout') return 'VictoriaMetrics not answering';
  return r.error;
}

/** True when no entry came from VictoriaMetrics because it is down or stuck. */
export function storageDown(results: readonly QueryBatchResultJson[]): string | undefined {
  const down = results.find(
    (r) => r.status === 'error' && (r.code === 'upstream_unavailable' || r.code === 'upstream_timeout'),
  );
  return down?.status === 'error' ? batchErrorText(down) : undefined;
}
