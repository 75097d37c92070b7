import assert from 'node:assert/strict';
import { rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseOptionValue } from '../../src/config/option-values.js';
import { createLogger, type Logger, silentLogger } from '../../src/log/logger.js';
import {
  type DiscoveryOptions,
  decodeExplicitSensors,
  discoverSensors,
  sensorSourceOptions,
} from '../../src/sensor/discovery.js';
import type { Sensor } from '../../src/sensor/types.js';
import { type SysfsTree, sysfsTreeFactory } from '../helpers/sysfs-tree.js';

function capture(): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  return { log: createLogger({ level: 'debug', write: (line) => lines.push(JSON.parse(line)) }), lines };
}

const ids = (sensors: Sensor[]) => sensors.map((s) => `${s.source}/${s.device}@${s.location}`);

describe('discoverSensors', () => {
  const tree = sysfsTreeFactory();
  const run = (t: SysfsTree, options: Partial<DiscoveryOptions>) =>
    discoverSensors({
      sysfsRoot: t.root,
      sources: 'auto',
      defaultLocation: 'lab',
      log: silentLogger,
      ...options,
    });

  it('auto falls back to simulated sensors on a box without sensor hardware', async () => {
    const t = tree();
    const { log, lines } = capture();
    const sensors = await run(t, { simulatedCount: 2, simulatedSeed: 5, log });
    assert.deepEqual(ids(sensors), ['simulated/sim0@lab', 'simulated/sim1@lab']);
    assert.ok(lines.some((l) => l.msg === 'no sensor hardware found, using simulated sensors'));
    // Also without any class directory at all (a container without /sys).
    t.remove();
    assert.deepEqual(ids(await run(t, { sources: ['auto'] })), ['simulated/sim0@lab']);
  });

  it('auto uses the hardware it finds and no simulated sensors', async () => {
    const t = tree();
    t.bme280(0);
    assert.deepEqual(ids(await run(t, {})), ['iio/iio:device0@lab']);
    t.typicalBox();
    assert.deepEqual(ids(await run(t, { sources: ['auto'] })), [
      'iio/iio:device0@lab',
      'hwmon/hwmon0@lab',
      'hwmon/hwmon1@lab',
      'thermal/thermal_zone0@lab',
    ]);
  });

  it('discovers only the listed sources, simulated alongside hardware when asked', async () => {
    const t = tree().typicalBox();
    assert.deepEqual(ids(await run(t, { sources: ['thermal'] })), ['thermal/thermal_zone0@lab']);
    assert.deepEqual(ids(await run(t, { sources: ['thermal', 'simulated'] })), [
      'thermal/thermal_zone0@lab',
      'simulated/sim0@lab',
    ]);
    assert.deepEqual(ids(await run(tree(), { sources: ['iio'] })), []);
  });

  it('keeps only explicitly listed sensors, placing each', async () => {
    const t = tree().typicalBox();
    const sensors = await run(t, {
      explicit: [
        { source: 'iio', name: 'bme280', location: 'greenhouse' },
        { source: 'hwmon', device: 'hwmon1', location: 'cabinet' },
        { source: 'thermal', name: 'cpu-thermal' },
      ],
    });
    assert.deepEqual(ids(sensors), [
      'iio/iio:device0@greenhouse',
      'hwmon/hwmon1@cabinet',
      'thermal/thermal_zone0@lab',
    ]);
  });

  it('lets the first matching entry place a sensor', async () => {
    const t = tree().typicalBox();
    const sensors = await run(t, {
      explicit: [
        { source: 'hwmon', name: 'sht3x', location: 'attic' },
        { source: 'hwmon', location: 'rack' },
      ],
    });
    assert.deepEqual(ids(sensors), ['hwmon/hwmon0@attic', 'hwmon/hwmon1@rack']);
  });

  it('discovers the sources explicit entries name, even outside the selected sources', async () => {
    const t = tree().typicalBox();
    const sensors = await run(t, {
      sources: ['thermal'],
      simulatedSeed: 1,
      explicit: [{ source: 'simulated', device: 'sim0', location: 'demo' }],
    });
    assert.deepEqual(ids(sensors), ['simulated/sim0@demo']);
  });

  it('warns about an explicit entry that matches no sensor', async () => {
    const t = tree().typicalBox();
    const { log, lines } = capture();
    const sensors = await run(t, {
      log,
      explicit: [
        { source: 'iio', device: 'iio:device0', location: 'greenhouse' },
        { source: 'iio', device: 'iio:device7', name: 'bme280', location: 'shed' },
      ],
    });
    assert.deepEqual(ids(sensors), ['iio/iio:device0@greenhouse']);
    const warnings = lines.filter((l) => l.level === 'warn');
    assert.equal(warnings.length, 1);
    assert.deepEqual(
      {
        msg: warnings[0]?.msg,
        source: warnings[0]?.source,
        device: warnings[0]?.device,
        name: warnings[0]?.name,
      },
      { msg: 'sensor not found', source: 'iio', device: 'iio:device7', name: 'bme280' },
    );
  });

  it('logs and skips a device that cannot be probed, and a source that fails, keeping the rest', async () => {
    const t = tree();
    t.bme280(0);
    t.write('bus/iio/devices/iio:device1', { name: 'broken', in_temp_raw: '1', in_temp_scale: 'abc' });
    t.thermalZone(0, 'cpu-thermal', 40000);
    rmSync(join(t.root, 'class/hwmon'), { recursive: true });
    symlinkSync('hwmon', join(t.root, 'class/hwmon')); // a loop: readdir fails with ELOOP
    const { log, lines } = capture();
    assert.deepEqual(ids(await run(t, { log })), ['iio/iio:device0@lab', 'thermal/thermal_zone0@lab']);
    const warnings = lines.filter((l) => l.level === 'warn').map((l) => [l.msg, l.source, l.device]);
    assert.deepEqual(warnings.sort(), [
      ['sensor device skipped', 'iio', 'iio:device1'],
      ['sensor source failed', 'hwmon', undefined],
    ]);
  });
});

describe('sensor.devices', () => {
  it('decodes entries and leaves unset fields undefined', () => {
    assert.deepEqual(
      decodeExplicitSensors([
        { source: 'iio', device: 'iio:device0', location: 'greenhouse' },
        { source: 'thermal' },
      ]),
      [
        { source: 'iio', device: 'iio:device0', name: undefined, location: 'greenhouse' },
        { source: 'thermal', device: undefined, name: undefined, location: undefined },
      ],
    );
  });

  it('names the bad entry and what is wrong with it', () => {
    const cases: [unknown, RegExp][] = [
      [{ source: 'iio' }, /expected a list/],
      [
        [{ source: 'iio' }, { source: 'gpio' }],
        /^entry 2 \{"source":"gpio"\}: source must be one of iio, hwmon/,
      ],
      [[{ source: 'iio', locaton: 'x' }], /^entry 1 .*unknown key "locaton"/],
      [[{ source: 'hwmon', device: 3 }], /^entry 1 .*device must be a string/],
      [[{ source: 'hwmon', name: '' }], /^entry 1 .*name must not be empty/],
      [['iio'], /^entry 1 "iio": expected an object/],
    ];
    for (const [raw, message] of cases) assert.throws(() => decodeExplicitSensors(raw), { message });
  });

  it('is parsed from YAML structures and JSON strings through the option', () => {
    const option = sensorSourceOptions.devices;
    assert.deepEqual(parseOptionValue(option, '[{"source":"thermal","name":"cpu-thermal"}]', 'env'), [
      { source: 'thermal', device: undefined, name: 'cpu-thermal', location: undefined },
    ]);
    assert.throws(() => parseOptionValue(option, [{ source: 'x' }], 'sensor.devices in f.yaml'), {
      code: 'EW_CONFIG_INVALID',
      message: /sensor\.devices in f\.yaml: entry 1 .*source must be one of/,
    });
  });
});

describe('sensor source options', () => {
  it('are fully described, with defaults that parse', () => {
    for (const option of Object.values(sensorSourceOptions)) {
      assert.ok(option.description.length > 30, option.name);
      assert.match(option.name, /^(sensor|paths)\.[a-z.-]+$/);
    }
    const o = sensorSourceOptions;
    assert.deepEqual(parseOptionValue(o.sources, 'iio,thermal', 'flag'), ['iio', 'thermal']);
    assert.throws(() => parseOptionValue(o.sources, 'iio,gpio', 'flag'), /"gpio" is not one of/);
    assert.throws(() => parseOptionValue(o.simulatedCount, '17', 'flag'), /at most 16/);
    assert.throws(() => parseOptionValue(o.simulatedCount, '0', 'flag'), /at least 1/);
    assert.equal(parseOptionValue(o.simulatedSeed, '42', 'flag'), 42);
    assert.deepEqual(
      [
        o.sources.default,
        o.location.default,
        o.simulatedSeed.default,
        o.simulatedCount.default,
        o.devices.default,
      ],
      [['auto'], '', 0, 1, []],
    );
    assert.deepEqual([o.sysfs.default, o.procfs.default], ['/sys', '/proc']);
    assert.equal(o.devices.fileOnly, true);
  });
});
