/**
 * The sensor service: discovery, the sampler, the metrics registry and the routes that serve
 * them. `edgewatch sensor` runs it alone; `edgewatch up` adds the stack's routes and collectors.
 */

import { commonOptions } from '../config/common-options.js';
import type { Config } from '../config/load.js';
import { HostCollector } from '../host/host-collector.js';
import { HostSampler } from '../host/host-sampler.js';
import { hostOptions } from '../host/options.js';
import { ProcessCollector } from '../host/process-collector.js';
import type { Route } from '../http/router.js';
import { healthRoutes } from '../http/routes/health.js';
import { metricsRoute } from '../http/routes/metrics.js';
import { sensorRoute } from '../http/routes/sensor.js';
import { ServiceCollector } from '../http/service-collector.js';
import type { Logger } from '../log/logger.js';
import { CachedCollector } from '../metrics/cached-collector.js';
import { Registry } from '../metrics/registry.js';
import { JobHealthCollector } from '../sampling/job-health.js';
import { type SampleJob, Sampler } from '../sampling/sampler.js';
import { discoverSensors, sensorSourceOptions } from '../sensor/discovery.js';
import { rediscoveryJob, sysfsListing } from '../sensor/rediscovery.js';
import { samplingOptions } from '../sensor/sampling-options.js';
import { SensorCollector } from '../sensor/sensor-collector.js';
import { sensorJob, sensorJobName } from '../sensor/sensor-job.js';
import { SensorStatus } from '../sensor/sensor-status.js';
import type { Sensor } from '../sensor/types.js';

export const sensorServiceOptions = [
  ...Object.values(samplingOptions),
  ...Object.values(sensorSourceOptions),
  hostOptions.interval,
  commonOptions.dataPath,
];

export interface SensorService {
  readonly registry: Registry;
  readonly sampler: Sampler;
  readonly service: ServiceCollector;
  readonly statuses: ReadonlyMap<string, SensorStatus>;
  /** Adds a sampling job whose failures and last success are exported (edgewatch_sample_*). */
  addJob(job: SampleJob): void;
  /** /metrics, /sensor, /healthz, /readyz. */
  routes(options?: { metricsPublic?: boolean }): Route[];
  start(): void;
  stop(): void;
}

export async function createSensorService(config: Config, log: Logger): Promise<SensorService> {
  const intervalMs = config.get(samplingOptions.interval);
  const staleAfterMs = config.get(samplingOptions.staleAfter);
  const procfsRoot = config.get(sensorSourceOptions.procfs);
  const seed = config.get(sensorSourceOptions.simulatedSeed);

  const sysfsRoot = config.get(sensorSourceOptions.sysfs);
  const discover = () =>
    discoverSensors({
      sysfsRoot,
      sources: config.get(sensorSourceOptions.sources),
      simulatedSeed: seed === 0 ? undefined : seed,
      simulatedCount: config.get(sensorSourceOptions.simulatedCount),
      explicit: config.get(sensorSourceOptions.devices),
      defaultLocation: config.get(sensorSourceOptions.location),
      log,
    });
  // Listed before discovery, so a device plugged in meanwhile is found by the first rediscovery.
  const initialListing = await sysfsListing(sysfsRoot);
  const sensors = await discover();

  const sampler = new Sampler({ intervalMs, timeoutMs: config.get(samplingOptions.readTimeout), log });
  const statuses = new Map<string, SensorStatus>();
  const addSensor = (sensor: Sensor) => {
    const status = new SensorStatus(sensor);
    statuses.set(status.key, status);
    sampler.add(sensorJob(status, log, Date.now, config.get(samplingOptions.flapWindow)));
    return status;
  };
  for (const sensor of sensors) {
    addSensor(sensor);
    log.info('sensor discovered', {
      source: sensor.source,
      device: sensor.device,
      name: sensor.name,
      location: sensor.location,
    });
  }
  const rediscoverMs = config.get(samplingOptions.rediscoverInterval);
  if (rediscoverMs > 0) {
    sampler.add(
      rediscoveryJob({
        sysfsRoot,
        intervalMs: rediscoverMs,
        initialListing,
        discover,
        current: () => statuses.keys(),
        apply: ({ appeared, vanished }) => {
          for (const key of vanished) {
            statuses.delete(key);
            sampler.remove(sensorJobName(key));
          }
          for (const sensor of appeared) addSensor(sensor);
        },
        log,
      }),
    );
  }

  const host = new HostSampler({ procfsRoot, dataPath: config.get(commonOptions.dataPath) });
  const hostIntervalMs = config.get(hostOptions.interval);
  const jobs = new JobHealthCollector(log);
  const addJob = (job: SampleJob) => sampler.add(jobs.track(job));
  addJob(host.job(hostIntervalMs));
  const processCollector = new ProcessCollector(procfsRoot, () => sampler.lagMs);
  addJob({ ...processCollector.job(), intervalMs: hostIntervalMs });

  const service = new ServiceCollector(() => sampler.queueDepth);
  const registry = new Registry();
  const statusList = () => statuses.values();
  registry.register(
    new CachedCollector(
      [new SensorCollector(statusList, staleAfterMs), processCollector, new HostCollector(host), jobs],
      () => sampler.generation,
    ),
  );
  registry.register(service);

  return {
    registry,
    sampler,
    service,
    statuses,
    addJob,
    routes: ({ metricsPublic = false } = {}) => [
      metricsRoute(registry, service.scrapeErrors, log, metricsPublic),
      sensorRoute(statusList, staleAfterMs),
      ...healthRoutes(() => sampler.ready),
    ],
    start: () => sampler.start(),
    stop: () => sampler.stop(),
  };
}
