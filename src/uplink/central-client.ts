/**
 * POSTs to a central with an endpoint's own credentials and TLS settings, the ones vmagent
 * uses for it: bearer token or basic auth read from their files at each request (rotated files
 * take effect), CA, client certificate, server name.
 */
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { RemoteWriteEndpoint } from './remote-write-config.js';

export interface CentralClient {
  readonly endpoint: RemoteWriteEndpoint;
  /** /api/v1/import of the central. */
  readonly importUrl: string;
  readonly timeoutMs: number;
}

/** A central's answer other than 2xx, with its status for the metrics and the log. */
export class CentralError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'CentralError';
  }
}

function authorization(e: RemoteWriteEndpoint): string | undefined {
  if (e.bearerTokenFile !== undefined) return `Bearer ${readFileSync(e.bearerTokenFile, 'utf8').trim()}`;
  if (e.basicAuth !== undefined) {
    const password = readFileSync(e.basicAuth.passwordFile, 'utf8').trim();
    return `Basic ${Buffer.from(`${e.basicAuth.username}:${password}`).toString('base64')}`;
  }
  return undefined;
}

export function postToCentral(c: CentralClient, gzipped: Buffer, signal?: AbortSignal): Promise<void> {
  const url = new URL(c.importUrl);
  const e = c.endpoint;
  const headers: Record<string, string | number> = {
    'content-encoding': 'gzip',
    'content-type': 'application/json',
    'content-length': gzipped.length,
  };
  const auth = authorization(e);
  if (auth !== undefined) headers.authorization = auth;
  const tls = e.tls;
  const options = {
    method: 'POST',
    headers,
    timeout: c.timeoutMs,
    signal,
    ...(url.protocol === 'https:' && tls
      ? {
          ca: tls.caFile === undefined ? undefined : readFileSync(tls.caFile),
          cert: tls.certFile === undefined ? undefined : readFileSync(tls.certFile),
          key: tls.keyFile === undefined ? undefined : readFileSync(tls.keyFile),
          servername: tls.serverName,
          rejectUnauthorized: !tls.insecureSkipVerify,
        }
      : {}),
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => {
        if (chunks.length < 4) chunks.push(chunk);
      });
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve();
        else {
          const text = Buffer.concat(chunks).toString('utf8').slice(0, 200);
          reject(new CentralError(status, `central import answered ${status}: ${text}`));
        }
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`central import timed out after ${c.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(gzipped);
  });
}
