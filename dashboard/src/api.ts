/**
 * Fetching JSON from the edgewatch server. Failures become ApiError with a message meant for the
 * page ("VictoriaMetrics unreachable"), never an exception left for the console.
 */
import type { ApiErrorCode, MatrixSeries } from './types.js';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
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

export async function getJson<T>(path: string, signal: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { signal, headers: { accept: 'application/json' }, cache: 'no-store' });
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new ApiError('edgewatch is unreachable (network error)');
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

interface PromResponse {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: string; result: MatrixSeries[] };
}

export async function queryRange(
  expr: string,
  window: { start: number; end: number; step: number },
  signal: AbortSignal,
): Promise<MatrixSeries[]> {
  const params = new URLSearchParams({
    query: expr,
    start: String(window.start),
    end: String(window.end),
    step: String(window.step),
  });
  const body = await getJson<PromResponse>(`/api/v1/query_range?${params}`, signal);
  if (body.status !== 'success' || body.data?.resultType !== 'matrix') {
    throw new ApiError(body.error ?? 'unexpected answer from the query API');
  }
  return body.data.result;
}
