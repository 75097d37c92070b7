/** Turns a sensor into a sampling job that updates its SensorStatus and logs state changes. */
import type { Logger } from '../log/logger.js';
import type { SampleJob } from '../sampling/sampler.js';
import { FLAP_CHANGES, FlapDetector } from './flap-detector.js';
import { samplingOptions } from './sampling-options.js';
import type { SensorStatus } from './sensor-status.js';
import { heldReadPaths, readSlots } from './sysfs.js';

/** The sampler's name for a sensor's job, by its key (sensorKey). */
export function sensorJobName(key: string): string {
  return `sensor:${key}`;
}

export function sensorJob(
  status: SensorStatus,
  log: Logger,
  now: () => number = Date.now,
  flapWindowMs: number = samplingOptions.flapWindow.default,
): SampleJob {
  const { sensor } = status;
  const fields = {
    source: sensor.source,
    device: sensor.device,
    name: sensor.name,
    location: sensor.location,
  };
  const flaps = new FlapDetector(flapWindowMs);
  /** Logs a change unless the sensor is flapping; says once that it started. */
  const changed = (line: () => void) => {
    const verdict = flaps.onChange(now());
    if (verdict === 'log') line();
    else if (verdict === 'started-flapping') {
      log.warn('sensor flapping', {
        ...fields,
        changes: FLAP_CHANGES + 1,
        window_seconds: flapWindowMs / 1000,
        quiet_until: 'steady for the whole window',
      });
    }
  };
  const steady = () => {
    if (flaps.settled(now()))
      log.info('sensor steady again', { ...fields, state: status.lastAttemptFailed ? 'failing' : 'ok' });
  };
  return {
    name: sensorJobName(status.key),
    async run(signal) {
      const readings = await sensor.read(signal);
      // A read that outlived its timeout was already counted as failed; its late result is dropped.
      if (signal.aborted) return;
      if (status.lastAttemptFailed) changed(() => log.info('sensor recovered', fields));
      else steady();
      status.succeeded(readings, now());
    },
    failed(reason) {
      const error = starved(reason);
      if (!status.lastAttemptFailed) {
        const gone = (error as NodeJS.ErrnoException).code === 'ENOENT';
        changed(() =>
          log.warn(gone ? 'sensor lost' : 'sensor read failed', { ...fields, error: error.message }),
        );
      } else steady();
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
