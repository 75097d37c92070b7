/** Turns a sensor into a sampling job that updates its SensorStatus and logs state changes. */
import type { Logger } from '../log/logger.js';
import type { SampleJob } from '../sampling/sampler.js';
import type { SensorStatus } from './sensor-status.js';
import { heldReadPaths, readSlots } from './sysfs.js';

/** The sampler's name for a sensor's job, by its key (sensorKey). */
export function sensorJobName(key: string): string {
  return `sensor:${key}`;
}

export function sensorJob(status: SensorStatus, log: Logger, now: () => number = Date.now): SampleJob {
  const { sensor } = status;
  const fields = {
    source: sensor.source,
    device: sensor.device,
    name: sensor.name,
    location: sensor.location,
  };
  return {
    name: sensorJobName(status.key),
    async run(signal) {
      const readings = await sensor.read(signal);
      // A read that outlived its timeout was already counted as failed; its late result is dropped.
      if (signal.aborted) return;
      if (status.lastAttemptFailed) log.info('sensor recovered', fields);
      status.succeeded(readings, now());
    },
    failed(reason) {
      const error = starved(reason);
      if (!status.lastAttemptFailed) {
        const gone = (error as NodeJS.ErrnoException).code === 'ENOENT';
        log.warn(gone ? 'sensor lost' : 'sensor read failed', { ...fields, error: error.message });
      }
      status.failed();
    },
  };
}

/**
 * A timeout while every read slot is held by hung reads says so, naming them: otherwise each
 * healthy sensor waiting for a slot would be blamed for a timeout of its own.
 */
function starved(error: Error): Error {
  if (error.name !== 'SampleTimeoutError') return error;
  const held = heldReadPaths();
  if (held.length < readSlots) return error;
  return new Error(
    `${error.message}: all ${readSlots} read slots are held by hung reads of ${held.join(', ')}`,
  );
}
