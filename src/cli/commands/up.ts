import { createAlerting } from '../../alerts/alerting.js';
import { alertingOptionList, alertingSettings } from '../../alerts/options.js';
import { commonOptions } from '../../config/common-options.js';
import { formatBytes } from '../../config/units.js';
import { hostOptions } from '../../host/options.js';
import { authOptions } from '../../http/auth.js';
import { createQueryProxy, queryProxyOptions } from '../../http/query-proxy.js';
import { dashboardRoutes } from '../../http/static-assets.js';
import { Lifecycle } from '../../lifecycle.js';
import { createLogger } from '../../log/logger.js';
import { packagePath } from '../../paths.js';
import { samplingOptions } from '../../sensor/sampling-options.js';
import { createSensorService, sensorServiceOptions } from '../../service/sensor-service.js';
import { ComponentMemoryCollector } from '../../stack/component-memory.js';
import { edgewatchStatus, prepareStack, stackOptions, writeStackConfig } from '../../stack/components.js';
import { ruleOptions } from '../../stack/rules.js';
import { StackAlerts } from '../../stack/stack-alerts.js';
import { stackReport, stackRoute } from '../../stack/stack-api.js';
import { readStorageState } from '../../stack/storage-state.js';
import { Supervisor, supervisorOptions } from '../../stack/supervisor.js';
import { thresholdsReport, thresholdsRoute } from '../../stack/thresholds-api.js';
import { startUplinkMonitor } from '../../stack/uplink.js';
import { victoriaMetricsOptions, victoriaMetricsUrl } from '../../stack/victoria-metrics.js';
import type { UplinkMonitor } from '../../uplink/uplink-monitor.js';
import { version } from '../../version.js';
import type { Command } from '../command.js';
import { loadAccess, startWebServer, webServerOptions } from '../web.js';

/** The built dashboard. */
const dashboardDir = packagePath('dist/dashboard');

export const upCommand: Command = {
  name: 'up',
  summary: 'Run the whole stack in the foreground: sensors, VictoriaMetrics, vmalert, local alerting.',
  description:
    'Starts the sensor service and its HTTP server (with /api/stack and the alert receiver), then VictoriaMetrics, then vmalert, each once the previous one is healthy; restarts a component that crashes or fails to start (the rest of the stack serves on); and on SIGINT or SIGTERM stops them in reverse order. Children never outlive edgewatch, even when it is killed. Memory flags of the components follow budget.memory.',
  options: [
    ...new Set([
      ...webServerOptions,
      ...Object.values(queryProxyOptions),
      ...sensorServiceOptions,
      ...stackOptions,
      ...alertingOptionList,
    ]),
  ],
  async run(config) {
    const log = createLogger({ level: config.get(commonOptions.logLevel) });
    // Everything that can be wrong with the configuration fails here, with exit 2, before
    // anything has started.
    const stack = prepareStack(config);
    const access = loadAccess(config);
    const lifecycle = new Lifecycle(log);
    try {
      log.info('starting', {
        command: 'up',
        version,
        budget: formatBytes(stack.plan.budgetBytes),
        config: config.describe(),
      });
      for (const warning of stack.warnings) log.warn(warning);
      const service = await lifecycle.start(
        'sensors',
        () => createSensorService(config, log),
        (s) => s.stop(),
      );
      const alerting = await lifecycle.start(
        'alerting',
        () =>
          createAlerting(alertingSettings(config), log, Date.now, {
            vmalertToken: stack.vmalertToken,
            access,
          }),
        (a) => a.stop(),
      );
      service.registry.register(alerting.collector);
      const supervisor = new Supervisor(log, { startTimeoutMs: config.get(supervisorOptions.startTimeout) });
      // Listed (as starting) from the first answer of /api/stack, before each one starts.
      for (const spec of stack.components) supervisor.add(spec);
      const components = () => [edgewatchStatus(), ...supervisor.statuses()];
      const memory = service.registry.register(new ComponentMemoryCollector(stack.plan, components));
      // Memory changes slowly and smaps_rollup walks every mapping: sample it with the host metrics.
      service.addJob({ ...memory.job(), intervalMs: config.get(hostOptions.interval) });
      const dataPath = config.get(commonOptions.dataPath);
      const vmMetrics = `${victoriaMetricsUrl(config.get(victoriaMetricsOptions.listenAddress))}/metrics`;
      const stackAlerts = new StackAlerts({
        // VictoriaMetrics' /metrics answers in ~5 ms; a second is well within sensor.read-timeout.
        facts: async () => ({
          components: supervisor.statuses(),
          storage: await readStorageState(dataPath, vmMetrics, 1000),
        }),
        thresholds: {
          dataPath,
          minFreeBytes: config.get(victoriaMetricsOptions.minFreeDiskSpace),
          diskFreeLow: config.get(ruleOptions.diskFreeLow),
        },
        raise: (alerts) => alerting.raise(alerts),
        intervalMs: config.get(samplingOptions.interval),
        log,
      });
      service.addJob(stackAlerts.job());
      service.start();

      // Set once vmagent runs (with remote_write endpoints); /api/stack lists no uplink before.
      let uplink: UplinkMonitor | undefined;
      const routes = [
        ...service.routes({ metricsPublic: config.get(authOptions.metricsPublic) }),
        ...alerting.routes,
        stackRoute(() =>
          stackReport(stack.plan, components(), (name) => memory.memoryOf(name), uplink?.report()),
        ),
        thresholdsRoute(thresholdsReport((option) => config.get(option))),
        ...createQueryProxy({
          upstream: victoriaMetricsUrl(config.get(victoriaMetricsOptions.listenAddress)),
          maxRangeMs: config.get(queryProxyOptions.maxRange),
          maxPoints: config.get(queryProxyOptions.maxPoints),
          timeoutMs: config.get(queryProxyOptions.timeout),
          maxResponseBytes: config.get(queryProxyOptions.maxResponseSize),
          log,
        }),
        ...(await dashboardRoutes(dashboardDir)),
      ];
      // edgewatch listens first: VictoriaMetrics scrapes it and vmalert notifies it.
      await startWebServer(lifecycle, config, routes, service.service, log, access);
      await lifecycle.start('config', () => writeStackConfig(stack));
      for (const spec of stack.components) {
        await lifecycle.start(
          spec.name,
          () => supervisor.start(spec),
          (component) => component.stop(),
        );
      }
      uplink = await startUplinkMonitor(lifecycle, config, stack, service, log);
      // performance.now() counts from the process start: the time an operator waits for the stack.
      const failing = supervisor.statuses().filter((s) => s.health !== 'healthy');
      if (failing.length === 0) log.info('stack healthy', { ms: Math.round(performance.now()) });
      else {
        // The rest serves on: sensors, the dashboard and whatever did start. The failing ones
        // are retried with backoff and shown in /api/stack and `edgewatch status`.
        log.warn('stack up with failing components', {
          ms: Math.round(performance.now()),
          failing: failing.map((s) => s.name),
        });
      }
      // The sampler's first round ran before the components existed: take their memory now,
      // not one host.interval later, so `edgewatch status` shows it from the start.
      // A read that fails here is left to the job, which counts and logs it at its next run.
      await memory.sample().catch(() => undefined);

      const signal = await lifecycle.waitForSignal();
      log.info('shutting down', { signal });
    } finally {
      await lifecycle.stop();
    }
    return 0;
  },
};
