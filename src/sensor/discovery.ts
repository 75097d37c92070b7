/**
 * Which sensors the service reads: the configured sources' devices, narrowed and placed by the
 * operator's explicit list when there is one.
 */
import { defineOptions } from '../config/option.js';
import type { Logger } from '../log/logger.js';
import { createHwmonSource } from './sources/hwmon.js';
import { createIioSource } from './sources/iio.js';
import { createSimulatedSource } from './sources/simulated.js';
import { createThermalSource } from './sources/thermal.js';
import type { Sensor, Source, SourceName } from './types.js';

export type SourceSelection = SourceName | 'auto';

/** Discovery order, which is also the order sensors are listed in. */
const allSources: readonly SourceName[] = ['iio', 'hwmon', 'thermal', 'simulated'];
const hardwareSources: readonly SourceName[] = ['iio', 'hwmon', 'thermal'];

/** One `sensor.devices` entry: which sensor(s) to read and where they are. */
export interface ExplicitSensor {
  readonly source: SourceName;
  /** sysfs directory name: `iio:device0`, `hwmon1`, `thermal_zone0`, `sim0`. */
  readonly device?: string;
  /** Chip or zone name: `bme280`, `cpu-thermal`. */
  readonly name?: string;
  /** Default: the default location. */
  readonly location?: string;
}

export interface DiscoveryOptions {
  readonly sysfsRoot: string;
  /** `auto` is iio, hwmon and thermal, plus simulated sensors only when those find nothing. */
  readonly sources: readonly SourceSelection[] | 'auto';
  /** 0 or undefined: a random seed. */
  readonly simulatedSeed?: number;
  readonly simulatedCount?: number;
  /** When non-empty, only sensors matching an entry are kept; their sources are always discovered. */
  readonly explicit?: readonly ExplicitSensor[];
  readonly defaultLocation: string;
  readonly log: Logger;
}

export async function discoverSensors(options: DiscoveryOptions): Promise<Sensor[]> {
  const { log } = options;
  const explicit = options.explicit ?? [];
  const selection: readonly SourceSelection[] = options.sources === 'auto' ? ['auto'] : options.sources;
  const auto = selection.includes('auto');
  const wanted = new Set<SourceName>(auto ? hardwareSources : []);
  for (const s of selection) if (s !== 'auto') wanted.add(s);
  for (const entry of explicit) wanted.add(entry.source);

  const source = (name: SourceName): Source =>
    name === 'simulated'
      ? createSimulatedSource({ seed: options.simulatedSeed || undefined, count: options.simulatedCount })
      : sourceFactories[name]({ sysfsRoot: options.sysfsRoot, log });
  const discover = async (name: SourceName): Promise<Sensor[]> => {
    try {
      return await source(name).discover();
    } catch (err) {
      log.warn('sensor source failed', { source: name, err });
      return [];
    }
  };

  let sensors = (await Promise.all(allSources.filter((n) => wanted.has(n)).map(discover))).flat();
  if (auto && sensors.length === 0 && !wanted.has('simulated')) {
    log.info('no sensor hardware found, using simulated sensors');
    sensors = await discover('simulated');
  }

  if (explicit.length === 0) {
    for (const sensor of sensors) sensor.location = options.defaultLocation;
    return sensors;
  }
  const kept: Sensor[] = [];
  for (const sensor of sensors) {
    // The first matching entry places the sensor, so a specific entry listed before a catch-all wins.
    const entry = explicit.find((e) => matches(e, sensor));
    if (!entry) continue;
    sensor.location = entry.location ?? options.defaultLocation;
    kept.push(sensor);
  }
  for (const entry of explicit) {
    if (!sensors.some((sensor) => matches(entry, sensor))) {
      log.warn('sensor not found', { source: entry.source, device: entry.device, name: entry.name });
    }
  }
  return kept;
}

const sourceFactories: Record<Exclude<SourceName, 'simulated'>, typeof createIioSource> = {
  iio: createIioSource,
  hwmon: createHwmonSource,
  thermal: createThermalSource,
};

function matches(entry: ExplicitSensor, sensor: Sensor): boolean {
  return (
    entry.source === sensor.source &&
    (entry.device === undefined || entry.device === sensor.device) &&
    (entry.name === undefined || entry.name === sensor.name)
  );
}

const explicitKeys = new Set(['source', 'device', 'name', 'location']);

/** Validates `sensor.devices`; the error names the entry so the operator can find it in the file. */
export function decodeExplicitSensors(raw: unknown): ExplicitSensor[] {
  if (!Array.isArray(raw)) throw new Error('expected a list of {source, device, name, location} entries');
  return raw.map((item: unknown, i) => {
    const fail = (problem: string): never => {
      throw new Error(`entry ${i + 1} ${JSON.stringify(item)}: ${problem}`);
    };
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      return fail('expected an object with source and device or name');
    }
    const fields = item as Record<string, unknown>;
    for (const key of Object.keys(fields)) {
      if (!explicitKeys.has(key)) fail(`unknown key "${key}" (allowed: source, device, name, location)`);
    }
    const { source, device, name, location } = fields;
    if (typeof source !== 'string' || !allSources.includes(source as SourceName)) {
      fail(`source must be one of ${allSources.join(', ')}`);
    }
    for (const [key, value] of Object.entries({ device, name, location })) {
      if (value !== undefined && typeof value !== 'string') fail(`${key} must be a string`);
    }
    for (const [key, value] of Object.entries({ device, name })) {
      if (value === '') fail(`${key} must not be empty`);
    }
    return { source, device, name, location } as ExplicitSensor;
  });
}

export const sensorSourceOptions = defineOptions({
  sources: {
    name: 'sensor.sources',
    kind: 'list',
    allowed: ['iio', 'hwmon', 'thermal', 'simulated', 'auto'],
    default: ['auto'],
    description:
      'Where to look for sensors: iio (I2C environment sensors such as the BME280), hwmon (hardware monitoring chips), thermal (SoC thermal zones), simulated, or auto: iio, hwmon and thermal, with simulated sensors only when those find none.',
  },
  location: {
    name: 'sensor.location',
    kind: 'string',
    default: '',
    description: 'Location label of every sensor that sensor.devices does not place, e.g. "greenhouse".',
  },
  simulatedSeed: {
    name: 'sensor.simulated.seed',
    kind: 'int',
    default: 0,
    defaultText: '0 (random)',
    min: 0,
    max: 0xffffffff,
    description:
      'Seed of the simulated sensors: the same seed replays the same values. 0 picks a different seed at every start.',
  },
  simulatedCount: {
    name: 'sensor.simulated.count',
    kind: 'int',
    default: 1,
    min: 1,
    max: 16,
    unit: 'sensors',
    description:
      'Number of simulated sensors (sim0, sim1, …), each reporting temperature and relative humidity.',
  },
  devices: {
    name: 'sensor.devices',
    kind: 'json',
    fileOnly: true,
    default: [] as readonly ExplicitSensor[],
    defaultText: '(every discovered sensor)',
    decode: decodeExplicitSensors,
    description:
      'The sensors to read and where they are: a list of {source, device, name, location}. source is iio, hwmon, thermal or simulated; device is the sysfs directory (iio:device0, hwmon1, thermal_zone0, sim0) and name the chip or zone name (bme280, cpu-thermal); an entry with neither matches every sensor of its source; location defaults to sensor.location. When set, other sensors are ignored, and an entry that matches no sensor is logged as a warning.',
  },
  sysfs: {
    name: 'paths.sysfs',
    kind: 'string',
    default: '/sys',
    description:
      "Root of sysfs, where sensors are discovered. Change it when a container mounts the host's /sys elsewhere.",
  },
  procfs: {
    name: 'paths.procfs',
    kind: 'string',
    default: '/proc',
    description:
      "Root of procfs, where host CPU, memory, load, network and mount statistics are read. Change it when a container mounts the host's /proc elsewhere.",
  },
});
