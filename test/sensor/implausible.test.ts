/** Issue 8: values no sensor can produce are read errors, never `ok` readings. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHwmonSource } from '../../src/sensor/sources/hwmon.js';
import { createIioSource } from '../../src/sensor/sources/iio.js';
import { createThermalSource } from '../../src/sensor/sources/thermal.js';
import { SensorValueError } from '../../src/sensor/types.js';
import { sysfsTreeFactory } from '../helpers/sysfs-tree.js';

const signal = () => new AbortController().signal;

describe('implausible sensor values', () => {
  const tree = sysfsTreeFactory();

  for (const [text, why] of [
    ['99999999999999999999999', '1e20 °C'],
    ['-300000', '-300 °C'],
    ['-127000', 'DS18B20 disconnected'],
    ['0x7530', 'hex'],
    ['21.5', 'a fraction where hwmon prints integers'],
    ['2e4', 'exponent'],
    [' ', 'blank'],
  ] as const) {
    it(`hwmon temp1_input ${JSON.stringify(text)} (${why}) is a SensorValueError`, async () => {
      const t = tree();
      t.hwmon(0, 'w1', { temp1_input: text });
      const [sensor] = await createHwmonSource({ sysfsRoot: t.root }).discover();
      await assert.rejects(sensor!.read(signal()), SensorValueError);
    });
  }

  it('thermal zone at -300 °C and 0x7530 are refused', async () => {
    for (const text of ['-300000', '0x7530']) {
      const t = tree();
      t.write('class/thermal/thermal_zone0', { type: 'cpu-thermal', temp: text });
      const [zone] = await createThermalSource({ sysfsRoot: t.root }).discover();
      await assert.rejects(zone!.read(signal()), SensorValueError, text);
    }
  });

  it('iio humidity above 100 %RH, hex pressure and absurd pressure are refused', async () => {
    for (const files of <Record<string, string>[]>[
      { in_humidityrelative_input: '150000' },
      { in_pressure_input: '0x64' },
      { in_pressure_input: '5000' },
      { in_temp_input: '1e5' },
    ]) {
      const t = tree();
      t.write('bus/iio/devices/iio:device0', { name: 'bme280', ...files });
      const [sensor] = await createIioSource({ sysfsRoot: t.root }).discover();
      await assert.rejects(sensor!.read(signal()), SensorValueError, JSON.stringify(files));
    }
  });

  it('still reads plausible values, fractional IIO kPa included', async () => {
    const t = tree();
    t.write('bus/iio/devices/iio:device0', { name: 'bmp280', in_pressure_input: '100.123456' });
    t.hwmon(0, 'sht3x', { temp1_input: '-40000', humidity1_input: '100000' });
    const [iio] = await createIioSource({ sysfsRoot: t.root }).discover();
    const [hw] = await createHwmonSource({ sysfsRoot: t.root }).discover();
    assert.equal((await iio!.read(signal()))[0]!.value, 100123.456);
    assert.deepEqual(
      (await hw!.read(signal())).map((r) => r.value),
      [1, -40],
    );
  });
});
