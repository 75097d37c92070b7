/** Turns a sensor into a sampling job that updates its SensorStatus and logs state changes. */
import type { Logger } from '../log/logger.js';
import type { SampleJob } from '../sampling/sampler.js';
import type { SensorStatus } from './sensor-status.js';

export function sensorJob(status: SensorStatus, log: Logger, now: () => number = Date.now): SampleJob {
  const { sensor } = status;
  const fields = {
    source: sensor.source,
    device: sensor.device,
    name: sensor.name,
    location: sensor.location,
  };
  return {
    name: `sensor:${status.key}`,
    async run(signal) {
      const readings = await sensor.read(signal);
      // A read that outlived its timeout was already counted as failed; its late result is dropped.
      if (signal.aborted) return;
      if (status.lastAttemptFailed) log.info('sensor recovered', fields);
      status.succeeded(readings, now());
    },
    failed(error) {
      if (!status.lastAttemptFailed) {
        const gone = (error as NodeJS.ErrnoException).code === 'ENOENT';
        log.warn(gone ? 'sensor lost' : 'sensor read failed', { ...fields, error: error.message });
      }
      status.failed();
    },
  };
}
