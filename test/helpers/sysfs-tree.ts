/** Builds fake sysfs trees in a temporary directory: the one thing tests fake is hardware. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';

export class SysfsTree {
  readonly root: string;

  constructor() {
    this.root = mkdtempSync(join(tmpdir(), 'ew-sysfs-'));
    // The class directories exist on every Linux box, even without devices.
    for (const dir of ['bus/iio/devices', 'class/hwmon', 'class/thermal'])
      mkdirSync(join(this.root, dir), { recursive: true });
  }

  /** Writes `files` (attribute name → content) into `dir` relative to the root. */
  write(dir: string, files: Record<string, string>): string {
    const full = join(this.root, dir);
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(dirname(join(full, name)), { recursive: true });
      writeFileSync(join(full, name), `${content}\n`);
    }
    return full;
  }

  /** A BME280 on IIO: processed temperature and humidity, pressure from raw × scale. */
  bme280(index = 0): string {
    return this.write(`bus/iio/devices/iio:device${index}`, {
      name: 'bme280',
      in_temp_input: '21500',
      in_humidityrelative_input: '45250',
      in_pressure_raw: '101325',
      in_pressure_scale: '0.001',
    });
  }

  hwmon(index: number, name: string, files: Record<string, string>): string {
    return this.write(`class/hwmon/hwmon${index}`, { name, ...files });
  }

  thermalZone(index: number, type: string, milliCelsius: number): string {
    return this.write(`class/thermal/thermal_zone${index}`, { type, temp: String(milliCelsius) });
  }

  /** Four sensors, as on a typical box: BME280, SHT3x on hwmon, CPU hwmon, one thermal zone. */
  typicalBox(): this {
    this.bme280(0);
    this.hwmon(0, 'sht3x', { temp1_input: '22100', humidity1_input: '51000' });
    this.hwmon(1, 'cpu_thermal', { temp1_input: '48300' });
    this.thermalZone(0, 'cpu-thermal', 48300);
    return this;
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/**
 * A factory for trees that are all removed after the calling suite: call it inside describe().
 */
export function sysfsTreeFactory(): () => SysfsTree {
  const trees: SysfsTree[] = [];
  after(() => {
    for (const t of trees) t.remove();
  });
  return () => {
    const t = new SysfsTree();
    trees.push(t);
    return t;
  };
}
