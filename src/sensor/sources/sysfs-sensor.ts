/**
 * What the sysfs sources share: a sensor is a fixed list of attribute files found at discovery,
 * each with the arithmetic that turns its number into base units.
 */
import { join } from 'node:path';
import { type Logger, silentLogger } from '../../log/logger.js';
import { isNotFound, listEntries, readInteger, readNumber } from '../sysfs.js';
import {
  type ChannelReading,
  checkPlausible,
  type Quantity,
  type Sensor,
  type SourceName,
  type SourceOptions,
} from '../types.js';

export interface SysfsSourceOptions extends SourceOptions {
  /** Where a device that cannot be probed is reported. Default: dropped. */
  readonly log?: Logger;
}

export interface ChannelSpec {
  readonly channel: string;
  readonly quantity: Quantity;
  readonly path: string;
  /** From the attribute's number to base units (°C, ratio, Pa). */
  readonly convert: (value: number) => number;
}

/** The kernel's units (milli°C, milli%RH, kPa) to base units. */
export const fromKernelUnits: Record<Quantity, (value: number) => number> = {
  temperature: (milliCelsius) => milliCelsius / 1000,
  humidity: (milliPercent) => milliPercent / 100_000,
  pressure: (kilopascals) => kilopascals * 1000,
};

export class SysfsSensor implements Sensor {
  location = '';

  constructor(
    readonly source: SourceName,
    readonly device: string,
    readonly name: string,
    readonly channels: readonly ChannelSpec[],
  ) {}

  /**
   * One attribute at a time: a wedged I2C bus blocks every attribute of the device, and reading
   * them in parallel would pin one libuv threadpool thread each (there are four) instead of one.
   */
  async read(signal: AbortSignal): Promise<ChannelReading[]> {
    const readings: ChannelReading[] = [];
    // hwmon and thermal print decimal integers; IIO prints fractions too (bmp280's kPa).
    const parse = this.source === 'iio' ? readNumber : readInteger;
    for (const spec of this.channels) {
      const value = checkPlausible(spec.path, spec.quantity, spec.convert(await parse(spec.path, signal)));
      readings.push({ channel: spec.channel, quantity: spec.quantity, value });
    }
    return readings;
  }
}

/**
 * Probes every device directory in `classDir` whose name matches `pattern`. `probe` returns
 * undefined for a device with nothing we measure. One bad device does not hide the others: a
 * device unplugged mid-discovery is skipped quietly, any other failure is logged and skipped.
 */
export async function discoverDevices(
  source: SourceName,
  classDir: string,
  pattern: RegExp,
  options: SysfsSourceOptions,
  probe: (dir: string, device: string) => Promise<Sensor | undefined>,
): Promise<Sensor[]> {
  const log = options.log ?? silentLogger;
  const devices = await listEntries(classDir, pattern);
  const probed = await Promise.all(
    devices.map(async (device) => {
      try {
        return await probe(join(classDir, device), device);
      } catch (err) {
        if (!isNotFound(err)) log.warn('sensor device skipped', { source, device, err });
        return undefined;
      }
    }),
  );
  return probed.filter((sensor) => sensor !== undefined);
}
