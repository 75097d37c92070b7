/**
 * The uplink monitor as a step of `edgewatch up`: with remote_write endpoints, watches them
 * through vmagent and backfills their gaps (src/uplink/); without, nothing runs.
 */
import { resolve } from 'node:path';
import { commonOptions } from '../config/common-options.js';
import type { Config } from '../config/load.js';
import type { Lifecycle } from '../lifecycle.js';
import type { Logger } from '../log/logger.js';
import type { Registry } from '../metrics/registry.js';
import type { Sampler } from '../sampling/sampler.js';
import { uplinkOptions } from '../uplink/options.js';
import { UplinkMonitor } from '../uplink/uplink-monitor.js';
import type { PreparedStack } from './components.js';
import { scrapeOptions } from './scrape-config.js';
import { victoriaMetricsOptions, victoriaMetricsUrl } from './victoria-metrics.js';
import { vmagentOptions } from './vmagent.js';

/** vmagent flushes every second; a scrape's samples all carry its start time. */
const MIN_MARGIN_MS = 5000;

export async function startUplinkMonitor(
  lifecycle: Lifecycle,
  config: Config,
  stack: PreparedStack,
  service: { readonly registry: Registry; readonly sampler: Sampler },
  log: Logger,
): Promise<UplinkMonitor | undefined> {
  if (stack.endpoints.length === 0) return undefined;
  return lifecycle.start(
    'uplink',
    () => {
      const monitor = new UplinkMonitor({
        vmagentUrl: `http://${config.get(vmagentOptions.listenAddress)}`,
        localUrl: victoriaMetricsUrl(config.get(victoriaMetricsOptions.listenAddress)),
        endpoints: stack.endpoints,
        deviceLabels: config.get(uplinkOptions.device),
        jobs: config.get(uplinkOptions.jobs),
        rateLimitBytes: config.get(uplinkOptions.rateLimit),
        statePath: resolve(config.get(commonOptions.dataPath), 'uplink', 'delivered.json'),
        pollIntervalMs: config.get(uplinkOptions.pollInterval),
        marginMs: Math.max(MIN_MARGIN_MS, config.get(scrapeOptions.interval)),
        log: log.child({ component: 'uplink' }),
      });
      service.registry.register(monitor.collector);
      service.sampler.add(monitor.job());
      return monitor;
    },
    (monitor) => monitor.stop(),
  );
}
