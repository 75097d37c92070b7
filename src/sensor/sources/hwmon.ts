/**
 * Hardware monitoring chips: SoC and board temperatures, and a few humidity sensors whose
 * drivers are hwmon rather than IIO (sht3x, sht4x, hih6130). Units are milli°C and milli%RH.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { naturalCompare, readAttribute } from '../sysfs.js';
import type { Quantity, Sensor, Source } from '../types.js';
import {
  type ChannelSpec,
  discoverDevices,
  fromKernelUnits,
  SysfsSensor,
  type SysfsSourceOptions,
} from './sysfs-sensor.js';

// /sys/class/hwmon/hwmonN is a symlink into /sys/devices: readdir follows it, lstat would not.
const deviceRe = /^hwmon\d+$/;
const inputRe = /^(temp|humidity)(\d+)_input$/;

const quantityOf: Record<string, Quantity> = { temp: 'temperature', humidity: 'humidity' };

export function createHwmonSource(options: SysfsSourceOptions): Source {
  const classDir = join(options.sysfsRoot, 'class', 'hwmon');
  return {
    name: 'hwmon',
    discover: () => discoverDevices('hwmon', classDir, deviceRe, options, probeDevice),
  };
}

async function probeDevice(dir: string, device: string): Promise<Sensor | undefined> {
  const files = await readdir(dir);
  const present = new Set(files);
  const specs: ChannelSpec[] = [];
  const used = new Set<string>();
  for (const file of files.sort(naturalCompare)) {
    const m = inputRe.exec(file);
    if (!m) continue;
    const [, type = '', index = ''] = m;
    const fallback = `${type}${index}`;
    const labelFile = `${fallback}_label`;
    const label = present.has(labelFile) ? sanitizeLabel(await readAttribute(join(dir, labelFile))) : '';
    // Two inputs with the same label would collide in the metric's labels; the index never does.
    const channel = label !== '' && !used.has(label) && !present.has(`${label}_input`) ? label : fallback;
    used.add(channel);
    const quantity = quantityOf[type] as Quantity;
    specs.push({ channel, quantity, path: join(dir, file), convert: fromKernelUnits[quantity] });
  }
  if (specs.length === 0) return undefined;
  const name = present.has('name') ? await readAttribute(join(dir, 'name')) : device;
  return new SysfsSensor('hwmon', device, name, specs);
}

/** `Core 0` → `Core_0`: labels become metric label values and URL path segments. */
export function sanitizeLabel(label: string): string {
  return label.replace(/[^a-zA-Z0-9_-]+/g, '_').replace(/^_+|_+$/g, '');
}
