/** Serves routes through the real app (router, 405s) on 127.0.0.1 and a free port. */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../src/http/app.js';
import type { Route } from '../../src/http/router.js';
import { ServiceCollector } from '../../src/http/service-collector.js';
import { silentLogger } from '../../src/log/logger.js';
import { waitFor } from '../helpers/wait.js';

export interface AppFixture {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function serveRoutes(routes: readonly Route[]): Promise<AppFixture> {
  const server = createServer(
    buildApp({ routes, metrics: new ServiceCollector(() => 0), log: silentLogger }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface Reply {
  status: number;
  body: string;
}

/** One request with node:http (no keep-alive), body collected. */
export function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export function postAlerts(baseUrl: string, payload: unknown): Promise<Reply> {
  return send(`${baseUrl}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}

/** Waits until `url` answers 200 (a component coming up). */
export async function waitForOk(url: string): Promise<void> {
  await waitFor(
    url,
    async () => {
      try {
        return (await send(url)).status === 200;
      } catch {
        return false;
      }
    },
    15_000,
    100,
  );
}
