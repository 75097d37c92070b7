/**
 * The query proxy over a real VictoriaMetrics holding two samples of `metric{room="shed"}` (1 a
 * minute ago, 2 five seconds ago), served through the real app handler: the fixture of the
 * proxy's and the batch endpoint's tests.
 */

import type { QueryLimits } from '../../src/http/query-params.js';
import { createQueryProxy } from '../../src/http/query-proxy.js';
import { type RouteServer, serveRoutes } from './route-server.js';
import { importSamples, startVictoriaMetrics, type VictoriaMetrics } from './victoria-metrics.js';

export interface ProxyFixture {
  vm: VictoriaMetrics;
  server: RouteServer;
  close(): Promise<void>;
}

export async function proxyOverVictoriaMetrics(metric: string, limits: QueryLimits): Promise<ProxyFixture> {
  const vm = await startVictoriaMetrics();
  const t = Date.now();
  await importSamples(vm, `${metric}{room="shed"} 1 ${t - 60_000}\n${metric}{room="shed"} 2 ${t - 5000}\n`);
  const server = await serveRoutes(createQueryProxy({ upstream: vm.url, ...limits }));
  return {
    vm,
    server,
    async close() {
      await server.close();
      await vm.stop();
    },
  };
}
