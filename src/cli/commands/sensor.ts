import { commonOptions } from '../../config/common-options.js';
import { authOptions } from '../../http/auth.js';
import { Lifecycle } from '../../lifecycle.js';
import { createLogger } from '../../log/logger.js';
import { createSensorService, sensorServiceOptions } from '../../service/sensor-service.js';
import { version } from '../../version.js';
import type { Command } from '../command.js';
import { loadAccess, startWebServer, webServerOptions } from '../web.js';

export const sensorCommand: Command = {
  name: 'sensor',
  summary: 'Run the sensor service alone (/metrics, /sensor, /healthz, /readyz).',
  description:
    'Discovers sensors (IIO, hwmon, thermal zones; a simulator where there are none), samples them and the host on an interval, and serves the cached values as Prometheus metrics and JSON. Stops cleanly on SIGINT or SIGTERM.',
  options: [...webServerOptions, ...sensorServiceOptions],
  async run(config) {
    const log = createLogger({ level: config.get(commonOptions.logLevel) });
    const lifecycle = new Lifecycle(log);
    try {
      log.info('starting', { command: 'sensor', version, config: config.describe() });
      const service = await lifecycle.start(
        'sensors',
        () => createSensorService(config, log),
        (s) => s.stop(),
      );
      service.start();
      const access = loadAccess(config);
      await startWebServer(
        lifecycle,
        config,
        service.routes({ metricsPublic: config.get(authOptions.metricsPublic) }),
        service.service,
        log,
        access,
      );
      const signal = await lifecycle.waitForSignal();
      log.info('shutting down', { signal });
    } finally {
      await lifecycle.stop();
    }
    return 0;
  },
};
