import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { createThermalSource } from '../../src/sensor/sources/thermal.js';
import { SensorValueError } from '../../src/sensor/types.js';
import { SysfsTree } from '../helpers/sysfs-tree.js';

const signal = () => AbortSignal.timeout(5000);

describe('thermal source', () => {
  const t = new SysfsTree();
  after(() => t.remove());

  it('discovers zones named by type, and reads °C', async () => {
    t.thermalZone(0, 'cpu-thermal', 48312);
    t.thermalZone(1, 'gpu-thermal', -1500);
    t.write('class/thermal/thermal_zone2', { type: 'no-temp' });
    t.write('class/thermal/cooling_device0', { type: 'fan', temp: '1' });
    const zones = await createThermalSource({ sysfsRoot: t.root }).discover();
    assert.deepEqual(
      zones.map((z) => [z.source, z.device, z.name]),
      [
        ['thermal', 'thermal_zone0', 'cpu-thermal'],
        ['thermal', 'thermal_zone1', 'gpu-thermal'],
      ],
    );
    assert.deepEqual(await zones[0]!.read(signal()), [
      { channel: 'temp', quantity: 'temperature', value: 48.312 },
    ]);
    assert.deepEqual(await zones[1]!.read(signal()), [
      { channel: 'temp', quantity: 'temperature', value: -1.5 },
    ]);
  });

  it('rejects garbage with SensorValueError and a removed zone with ENOENT', async () => {
    const zones = await createThermalSource({ sysfsRoot: t.root }).discover();
    const dir = t.thermalZone(0, 'cpu-thermal', 0);
    t.write('class/thermal/thermal_zone0', { temp: 'abc' });
    await assert.rejects(zones[0]!.read(signal()), SensorValueError);
    rmSync(dir, { recursive: true });
    await assert.rejects(zones[0]!.read(signal()), { code: 'ENOENT' });
  });
});
