/** Loopback-only networking helpers for tests. */
export { freePort } from '../../src/net/free-port.js';

export interface HttpResult {
  status: number;
  headers: Headers;
  body: string;
}

export async function httpGet(url: string, init?: RequestInit): Promise<HttpResult> {
  const res = await fetch(url, init);
  return { status: res.status, headers: res.headers, body: await res.text() };
}
