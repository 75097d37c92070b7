/**
 * Issue 8, flapping and garbage sensors: a sensor whose file flips between a good reading and
 * garbage every few reads (a loose connector) is served as failing or with its real value —
 * never with a garbage one —, the other sensors are unaffected, and the log says "flapping"
 * once instead of a line per change.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SensorEntry, SensorReport } from '../../src/api/types.js';
import { httpGet } from '../helpers/net.js';
import { type SensorUnderTest, startSensor } from '../helpers/sensor-process.js';
import { SysfsTree } from '../helpers/sysfs-tree.js';
import { waitFor } from '../helpers/wait.js';

describe('a flapping sensor', () => {
  const sysfs = new SysfsTree().typicalBox();
  let sensor: SensorUnderTest;
  let file: string;

  before(async () => {
    file = join(sysfs.hwmon(7, 'loose', { temp1_input: '21500' }), 'temp1_input');
    sensor = await startSensor(sysfs, ['--sensor.interval=100ms', '--sensor.flap-window=2s']);
  });
  after(async () => {
    await sensor?.stop();
    sysfs.remove();
  });

  it('serves its real value or a failure, never garbage, and logs flapping once', async () => {
    const garbage = ['0x5400', '99999999999999999999999', 'NaN', '', '21.5e3', '-300000'];
    const loose = async (): Promise<SensorEntry> => {
      const report = JSON.parse((await httpGet(`${sensor.base}/sensor`)).body) as SensorReport;
      for (const other of report.sensors.filter((s) => s.device !== 'hwmon7')) {
        assert.equal(other.state, 'ok', `${other.device} was dragged down`);
      }
      const entry = report.sensors.find((s) => s.device === 'hwmon7');
      assert.ok(entry, 'the sensor is listed');
      for (const value of Object.values(entry.values)) assert.equal(value, 21.5, `served ${value}`);
      return entry;
    };
    for (let i = 0; i < 12; i++) {
      const good = i % 2 === 1;
      writeFileSync(file, good ? '21500' : (garbage[(i / 2) % garbage.length] as string));
      await waitFor(
        good ? 'the good reading' : `garbage ${i / 2} refused`,
        async () => ((await loose()).state === (good ? 'ok' : 'failing') ? true : undefined),
        5000,
        20,
      );
    }
    const lines = sensor.proc.lines.filter((l) => l.device === 'hwmon7');
    const changes = lines.filter((l) => l.msg === 'sensor read failed' || l.msg === 'sensor recovered');
    assert.equal(changes.length, 4, 'changes logged until it counts as flapping');
    assert.equal(lines.filter((l) => l.msg === 'sensor flapping').length, 1);

    // Left alone with a good value, it is reported steady again after one window.
    await sensor.proc.waitForLog((l) => l.msg === 'sensor steady again' && l.device === 'hwmon7', 10_000);
  });
});
