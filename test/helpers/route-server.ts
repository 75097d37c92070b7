/** Serves a list of routes through the real app handler (buildApp) on 127.0.0.1, a free port. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AccessCheck, buildApp } from '../../src/http/app.js';
import type { Route } from '../../src/http/router.js';
import { ServiceCollector } from '../../src/http/service-collector.js';
import { silentLogger } from '../../src/log/logger.js';

export interface RouteServer {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  close(): Promise<void>;
}

export async function serveRoutes(routes: readonly Route[], access?: AccessCheck): Promise<RouteServer> {
  const handler = buildApp({ routes, metrics: new ServiceCollector(() => 0), log: silentLogger, access });
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
