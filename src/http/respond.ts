/** Response helpers: every error is JSON with a stable `error` code and a human `message`. */
import type { ServerResponse } from 'node:http';
import type { ApiErrorCode, ApiErrorJson } from '../api/types.js';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers?: Record<string, string>,
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(payload);
}

export function sendError(
  res: ServerResponse,
  status: number,
  error: ApiErrorCode,
  message: string,
  headers?: Record<string, string>,
): void {
  const body: ApiErrorJson = { error, message };
  sendJson(res, status, body, headers);
}
