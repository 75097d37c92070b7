/**
 * Hot-plug: a sensor plugged in after start, or an hwmon chip the kernel re-numbered after a
 * reset (hwmon1 comes back as hwmon3), must be read without a restart. Every
 * sensor.rediscover-interval the sysfs class directories and the device directories in them
 * are listed (readdir only: no attribute is read, ~10 listings on a typical box); only when a
 * listing changed is discovery run again, and what appeared and vanished is handed on and
 * logged once.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log/logger.js';
import type { SampleJob } from '../sampling/sampler.js';
import { type Sensor, sensorKey } from './types.js';

/** Where the hardware sources look; the same directories discovery lists. */
const CLASS_DIRS = ['bus/iio/devices', 'class/hwmon', 'class/thermal'];

/**
 * The names in each class directory and in each device directory under it, as one string: it
 * changes when a device appears, vanishes, is re-numbered or gains its input files.
 */
export async function sysfsListing(sysfsRoot: string): Promise<string> {
  const parts = await Promise.all(
    CLASS_DIRS.map(async (dir) => {
      const classDir = join(sysfsRoot, dir);
      const devices = await names(classDir);
      const inside = await Promise.all(devices.map((d) => names(join(classDir, d))));
      return devices.map((d, i) => `${dir}/${d}:${inside[i]?.join(',')}`).join('\n');
    }),
  );
  return parts.join('\n');
}

async function names(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch {
    return []; // absent (no such class on this kernel) or vanished while listing
  }
}

export interface SensorChanges {
  readonly appeared: readonly Sensor[];
  /** Keys (sensorKey) of sensors no longer discovered. */
  readonly vanished: readonly string[];
}

export interface RediscoveryOptions {
  readonly sysfsRoot: string;
  readonly intervalMs: number;
  /** The listing the sensors being read were discovered from (taken just before discovery). */
  readonly initialListing: string;
  /** Discovery as at start (sources, sensor.devices, locations). */
  readonly discover: () => Promise<Sensor[]>;
  /** Keys of the sensors read now. */
  readonly current: () => Iterable<string>;
  readonly apply: (changes: SensorChanges) => void;
  readonly log: Logger;
}

export function rediscoveryJob(options: RediscoveryOptions): SampleJob {
  let listing = options.initialListing;
  return {
    name: 'sensor-discovery',
    intervalMs: options.intervalMs,
    run: async (signal) => {
      const now = await sysfsListing(options.sysfsRoot);
      if (now === listing || signal.aborted) return;
      const found = await options.discover();
      if (signal.aborted) return;
      const current = new Set(options.current());
      const foundKeys = new Set(found.map(sensorKey));
      const changes: SensorChanges = {
        appeared: found.filter((s) => !current.has(sensorKey(s))),
        vanished: [...current].filter((key) => !foundKeys.has(key)),
      };
      // Kept only once applied: a failed discovery is tried again at the next run.
      listing = now;
      if (changes.appeared.length === 0 && changes.vanished.length === 0) return;
      for (const sensor of changes.appeared) {
        options.log.info('sensor appeared', {
          source: sensor.source,
          device: sensor.device,
          name: sensor.name,
          location: sensor.location,
        });
      }
      for (const key of changes.vanished) options.log.warn('sensor vanished', { sensor: key });
      options.apply(changes);
    },
  };
}
