/**
 * Industrial I/O devices: most I2C environment sensors (BME280, SHT3x, HTU21, DHT11 via the
 * dht11 driver). Per the kernel's sysfs-bus-iio ABI a channel is either processed
 * (`in_temp_input`, already in milli°C / milli%RH / kPa) or raw, where
 * value = (raw + offset) × scale gives those same units.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { naturalCompare, readAttribute, readNumber } from '../sysfs.js';
import type { Quantity, Sensor, Source } from '../types.js';
import {
  type ChannelSpec,
  discoverDevices,
  fromKernelUnits,
  SysfsSensor,
  type SysfsSourceOptions,
} from './sysfs-sensor.js';

const deviceRe = /^iio:device\d+$/;
// type, optional index (`temp0`), optional modifier (`temp_object` on IR thermometers), kind.
const channelRe = /^in_(temp|humidityrelative|pressure)(\d*)(_ambient|_object)?_(input|raw)$/;

const quantityOf: Record<string, Quantity> = {
  temp: 'temperature',
  humidityrelative: 'humidity',
  pressure: 'pressure',
};

interface FoundChannel {
  readonly type: string;
  /** `in_temp1_object`: the attribute name up to `_input`/`_raw`. */
  readonly prefix: string;
  input: boolean;
  raw: boolean;
}

export function createIioSource(options: SysfsSourceOptions): Source {
  const classDir = join(options.sysfsRoot, 'bus', 'iio', 'devices');
  return {
    name: 'iio',
    discover: () => discoverDevices('iio', classDir, deviceRe, options, probeDevice),
  };
}

async function probeDevice(dir: string, device: string): Promise<Sensor | undefined> {
  const files = new Set(await readdir(dir));
  const found = new Map<string, FoundChannel>();
  for (const file of files) {
    const m = channelRe.exec(file);
    if (!m) continue;
    const [, type = '', index = '', modifier = '', kind] = m;
    const channel = `${type}${index}${modifier}`;
    let entry = found.get(channel);
    if (!entry) {
      entry = { type, prefix: `in_${channel}`, input: false, raw: false };
      found.set(channel, entry);
    }
    if (kind === 'input') entry.input = true;
    else entry.raw = true;
  }
  if (found.size === 0) return undefined;

  const specs: ChannelSpec[] = [];
  for (const [channel, entry] of [...found].sort(([a], [b]) => naturalCompare(a, b))) {
    const quantity = quantityOf[entry.type] as Quantity;
    const toBase = fromKernelUnits[quantity];
    if (entry.input) {
      // The driver already applied its calibration; reading raw too would double-count it.
      specs.push({ channel, quantity, path: join(dir, `${entry.prefix}_input`), convert: toBase });
      continue;
    }
    // Scale and offset are fixed per device configuration: read once here, not on every sample.
    const scale = await readCalibration(dir, files, entry, 'scale', 1);
    const offset = await readCalibration(dir, files, entry, 'offset', 0);
    specs.push({
      channel,
      quantity,
      path: join(dir, `${entry.prefix}_raw`),
      convert: (raw) => toBase((raw + offset) * scale),
    });
  }
  const name = files.has('name') ? await readAttribute(join(dir, 'name')) : device;
  return new SysfsSensor('iio', device, name, specs);
}

/** The channel's own attribute (`in_temp1_scale`), else the one shared by its type (`in_temp_scale`). */
async function readCalibration(
  dir: string,
  files: ReadonlySet<string>,
  entry: FoundChannel,
  what: 'scale' | 'offset',
  fallback: number,
): Promise<number> {
  for (const file of [`${entry.prefix}_${what}`, `in_${entry.type}_${what}`]) {
    if (files.has(file)) return readNumber(join(dir, file));
  }
  return fallback;
}
