/**
 * Thermal zones: the SoC temperature on every Raspberry Pi (`cpu-thermal`), present even
 * without any sensor attached. `temp` is in milli°C.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readAttribute } from '../sysfs.js';
import type { Sensor, Source } from '../types.js';
import { discoverDevices, fromKernelUnits, SysfsSensor, type SysfsSourceOptions } from './sysfs-sensor.js';

const zoneRe = /^thermal_zone\d+$/;

export function createThermalSource(options: SysfsSourceOptions): Source {
  const classDir = join(options.sysfsRoot, 'class', 'thermal');
  return {
    name: 'thermal',
    discover: () => discoverDevices('thermal', classDir, zoneRe, options, probeZone),
  };
}

async function probeZone(dir: string, zone: string): Promise<Sensor | undefined> {
  const files = new Set(await readdir(dir));
  if (!files.has('temp')) return undefined;
  const name = files.has('type') ? await readAttribute(join(dir, 'type')) : zone;
  return new SysfsSensor('thermal', zone, name, [
    {
      channel: 'temp',
      quantity: 'temperature',
      path: join(dir, 'temp'),
      convert: fromKernelUnits.temperature,
    },
  ]);
}
