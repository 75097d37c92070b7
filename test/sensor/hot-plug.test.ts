/**
 * Hot-plug against a real `edgewatch sensor` on a fake sysfs: a sensor that appears after start
 * is read and served within a few sensor.rediscover-interval, an hwmon chip re-numbered by the
 * kernel (hwmon1 → hwmon7) is followed, the vanished one disappears, and each change is logged
 * once. The tests run in order and share the process.
 */
import assert from 'node:assert/strict';
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../src/log/logger.js';
import { rediscoveryJob, type SensorChanges, sysfsListing } from '../../src/sensor/rediscovery.js';
import { httpGet } from '../helpers/net.js';
import { type SensorUnderTest, startSensor } from '../helpers/sensor-process.js';
import { SysfsTree } from '../helpers/sysfs-tree.js';
import { waitFor } from '../helpers/wait.js';

describe('sensor hot-plug', () => {
  const sysfs = new SysfsTree();
  let sensor: SensorUnderTest;

  before(async () => {
    sysfs.hwmon(0, 'sht3x', { temp1_input: '22100', humidity1_input: '51000' });
    sysfs.hwmon(1, 'cpu_thermal', { temp1_input: '48300' });
    sensor = await startSensor(sysfs, [
      '--sensor.sources=hwmon,iio',
      '--sensor.interval=100ms',
      '--sensor.rediscover-interval=200ms',
    ]);
  });
  after(async () => {
    await sensor?.stop();
    sysfs.remove();
  });

  const devices = async (): Promise<string[]> => {
    const body = (await httpGet(`${sensor.base}/metrics`)).body;
    return [...body.matchAll(/^sensor_info\{[^}]*device="([^"]+)"/gm)].map((m) => m[1] as string).sort();
  };
  const logged = (msg: string, device: string) =>
    sensor.proc.lines.filter((l) => l.msg === msg && (l.device === device || l.sensor === device));

  it('serves the sensors found at start', async () => {
    assert.deepEqual(
      await waitFor('the first readings', async () => (await devices()).length === 2 && devices()),
      ['hwmon0', 'hwmon1'],
    );
  });

  it('reads a BME280 plugged in after start, and logs it once', async () => {
    sysfs.bme280(0);
    await waitFor(
      'iio:device0 served',
      async () =>
        (await httpGet(`${sensor.base}/metrics`)).body.match(
          /^sensor_temperature_celsius\{[^}]*device="iio:device0"[^}]*\} 21\.5$/m,
        ),
      5000,
    );
    await sensor.proc.waitForLog((l) => l.msg === 'sensor appeared' && l.device === 'iio:device0');
    assert.equal(logged('sensor appeared', 'iio:device0').length, 1);
  });

  it('follows an hwmon device the kernel re-numbered, dropping the old number', async () => {
    renameSync(join(sysfs.root, 'class/hwmon/hwmon1'), join(sysfs.root, 'class/hwmon/hwmon7'));
    await waitFor(
      'hwmon7 in place of hwmon1',
      async () => {
        const now = await devices();
        const body = (await httpGet(`${sensor.base}/metrics`)).body;
        return now.includes('hwmon7') && !now.includes('hwmon1') && body.includes('device="hwmon7",channel');
      },
      5000,
    );
    const body = (await httpGet(`${sensor.base}/metrics`)).body;
    assert.match(body, /^sensor_temperature_celsius\{[^}]*device="hwmon7"[^}]*\} 48\.3$/m);
    assert.doesNotMatch(body, /device="hwmon1"/);
    await sensor.proc.waitForLog((l) => l.msg === 'sensor vanished');
    assert.equal(logged('sensor appeared', 'hwmon7').length, 1);
    assert.equal(logged('sensor vanished', 'hwmon/hwmon1').length, 1);
    const sensorJson = JSON.parse((await httpGet(`${sensor.base}/sensor`)).body) as unknown;
    assert.doesNotMatch(JSON.stringify(sensorJson), /"hwmon1"/);
  });
});

describe('rediscoveryJob', () => {
  it('runs discovery only when a sysfs listing changed', async () => {
    const sysfs = new SysfsTree().typicalBox();
    try {
      let discoveries = 0;
      const applied: SensorChanges[] = [];
      const job = rediscoveryJob({
        sysfsRoot: sysfs.root,
        intervalMs: 1000,
        initialListing: await sysfsListing(sysfs.root),
        discover: async () => {
          discoveries++;
          return [];
        },
        current: () => ['hwmon/hwmon0'],
        apply: (changes) => applied.push(changes),
        log: silentLogger,
      });
      const signal = new AbortController().signal;
      await job.run(signal);
      await job.run(signal);
      assert.equal(discoveries, 0, 'nothing changed: listings only');
      // A device that gains an input file later (its driver bound late) changes a device listing.
      sysfs.write('class/hwmon/hwmon1', { temp2_input: '1000' });
      await job.run(signal);
      await job.run(signal);
      assert.equal(discoveries, 1);
      assert.deepEqual(applied, [{ appeared: [], vanished: ['hwmon/hwmon0'] }]);
    } finally {
      sysfs.remove();
    }
  });
});
