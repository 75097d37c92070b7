/**
 * The sensor model. A source (iio, hwmon, thermal, simulated) discovers sensors; a sensor is one
 * device with one or more channels; a read returns every channel's value in base units
 * (°C, relative humidity as a 0..1 ratio, pascals), the units Prometheus metric names carry.
 */

export type SourceName = 'simulated' | 'iio' | 'hwmon' | 'thermal';

export type Quantity = 'temperature' | 'humidity' | 'pressure';

/** Base unit per quantity, as printed in /sensor. */
export const quantityUnit: Record<Quantity, string> = {
  temperature: 'celsius',
  humidity: 'ratio',
  pressure: 'pascals',
};

export interface ChannelReading {
  /** Stable per device: `temp`, `humidityrelative`, `pressure`, `temp1`, or a label from sysfs. */
  readonly channel: string;
  readonly quantity: Quantity;
  /** In base units: °C, ratio 0..1, Pa. Always finite. */
  readonly value: number;
}

export interface Sensor {
  readonly source: SourceName;
  /** The device's directory name under its sysfs class (`iio:device0`, `hwmon1`, `thermal_zone0`), or `sim0`. */
  readonly device: string;
  /** The chip or zone name the kernel reports (`bme280`, `sht3x`, `cpu-thermal`). */
  readonly name: string;
  /** Where the sensor is, from configuration; '' when not configured. */
  location: string;
  /**
   * Reads every channel. Rejects when the device is gone (ENOENT), a value is not a number,
   * or `signal` aborts. A hung read may never settle: the sampler stops waiting on timeout
   * and never starts a second read of the same sensor while one is in flight.
   */
  read(signal: AbortSignal): Promise<ChannelReading[]>;
}

export interface SourceOptions {
  /** Root of sysfs. Default '/sys'; tests point it at a tree they build. */
  readonly sysfsRoot: string;
}

export interface Source {
  readonly name: SourceName;
  /** Sensors present now. Never throws for a missing class directory: that means none. */
  discover(): Promise<Sensor[]>;
}

export function sensorKey(sensor: Pick<Sensor, 'source' | 'device'>): string {
  return `${sensor.source}/${sensor.device}`;
}

/** Raised for a value that is present but not a number: garbage from a driver. */
export class SensorValueError extends Error {
  constructor(path: string, text: string, problem = 'not a number') {
    super(`${path}: ${problem}: ${JSON.stringify(text.slice(0, 40))}`);
    this.name = 'SensorValueError';
  }
}

/**
 * What each quantity can physically be, in base units. A value outside is a fault served as a
 * reading otherwise: a DS18B20 reads -127 °C when disconnected, a dead bus reads 0 or all ones.
 * Temperature: -55..150 °C covers every sensor chip's rated range and SoC junction limits.
 * Humidity: a ratio. Pressure: 1..200 kPa (a BME280 is rated 30..110 kPa).
 */
export const plausibleRange: Record<Quantity, readonly [min: number, max: number]> = {
  temperature: [-55, 150],
  humidity: [0, 1],
  pressure: [1_000, 200_000],
};

/** SensorValueError unless `value` is within the quantity's physical range. */
export function checkPlausible(path: string, quantity: Quantity, value: number): number {
  const [min, max] = plausibleRange[quantity];
  if (!(value >= min && value <= max)) {
    throw new SensorValueError(
      path,
      String(value),
      `implausible ${quantity} (outside ${min}..${max} ${quantityUnit[quantity]})`,
    );
  }
  return value;
}
