import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createHwmonSource, sanitizeLabel } from '../../src/sensor/sources/hwmon.js';
import { type Sensor, SensorValueError } from '../../src/sensor/types.js';
import { SysfsTree } from '../helpers/sysfs-tree.js';

const signal = () => AbortSignal.timeout(5000);

describe('hwmon source', () => {
  const t = new SysfsTree();
  after(() => t.remove());

  /** As on real systems: the device lives under /sys/devices, the class entry is a symlink. */
  const linkedChip = (index: number, name: string, files: Record<string, string>): string => {
    const dir = t.write(`devices/platform/soc/chip${index}/hwmon/hwmon${index}`, { name, ...files });
    symlinkSync(dir, join(t.root, 'class/hwmon', `hwmon${index}`));
    return dir;
  };
  let sensors: Sensor[] = [];
  const sensor = (device: string): Sensor => {
    const s = sensors.find((x) => x.device === device);
    assert.ok(s, `${device} discovered`);
    return s;
  };

  linkedChip(0, 'sht3x', { temp1_input: '22100', humidity1_input: '51000' });
  linkedChip(1, 'coretemp', {
    temp1_input: '45000',
    temp1_label: 'Package id 0',
    temp2_input: '43000',
    temp2_label: 'Core 0',
    temp3_input: '44000',
    temp3_label: 'Core 0',
    temp4_input: '41000',
    temp4_label: '   ',
  });
  linkedChip(2, 'fan-only', { fan1_input: '1200' });
  t.hwmon(3, 'plain', { temp1_input: '-5500' });

  it('discovers chips through their class symlinks, skipping chips with nothing we measure', async () => {
    sensors = await createHwmonSource({ sysfsRoot: t.root }).discover();
    assert.deepEqual(
      sensors.map((s) => [s.device, s.name]),
      [
        ['hwmon0', 'sht3x'],
        ['hwmon1', 'coretemp'],
        ['hwmon3', 'plain'],
      ],
    );
  });

  it('reads temperature and humidity in base units', async () => {
    assert.deepEqual(await sensor('hwmon0').read(signal()), [
      { channel: 'humidity1', quantity: 'humidity', value: 0.51 },
      { channel: 'temp1', quantity: 'temperature', value: 22.1 },
    ]);
    assert.deepEqual(await sensor('hwmon3').read(signal()), [
      { channel: 'temp1', quantity: 'temperature', value: -5.5 },
    ]);
  });

  it('names channels by sanitized label, falling back to the index for duplicates and blanks', async () => {
    assert.deepEqual(
      (await sensor('hwmon1').read(signal())).map((r) => [r.channel, r.value]),
      [
        ['Package_id_0', 45],
        ['Core_0', 43],
        ['temp3', 44],
        ['temp4', 41],
      ],
    );
    assert.equal(sanitizeLabel(' GPU "hot" spot/1 '), 'GPU_hot_spot_1');
  });

  it('rejects garbage with SensorValueError and a vanished chip with ENOENT', async () => {
    t.hwmon(3, 'plain', { temp1_input: 'abc' });
    await assert.rejects(sensor('hwmon3').read(signal()), SensorValueError);
    rmSync(join(t.root, 'devices/platform/soc/chip0'), { recursive: true });
    await assert.rejects(sensor('hwmon0').read(signal()), { code: 'ENOENT' });
  });

  it('finds nothing when the class directory is missing', async () => {
    const empty = new SysfsTree();
    rmSync(join(empty.root, 'class'), { recursive: true });
    try {
      assert.deepEqual(await createHwmonSource({ sysfsRoot: empty.root }).discover(), []);
    } finally {
      empty.remove();
    }
  });

  it('skips a class entry that is not a directory', async () => {
    const odd = new SysfsTree();
    try {
      odd.write('class/hwmon', { hwmon0: 'not a dir' });
      mkdirSync(join(odd.root, 'class/hwmon/hwmon1'));
      assert.deepEqual(await createHwmonSource({ sysfsRoot: odd.root }).discover(), []);
    } finally {
      odd.remove();
    }
  });
});
