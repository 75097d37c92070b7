/**
 * Issue 8, hung sensors: six sensors whose reads hang in the kernel (a FIFO with no writer in
 * place of temp1_input blocks open() in a threadpool thread, as a wedged I2C bus does) must
 * cost only themselves: the other sensors and the host metrics keep updating.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { httpGet } from '../helpers/net.js';
import { type SensorUnderTest, startSensor } from '../helpers/sensor-process.js';
import { SysfsTree } from '../helpers/sysfs-tree.js';
import { waitFor } from '../helpers/wait.js';

const hungCount = 6;

describe('hung sensor reads', () => {
  const sysfs = new SysfsTree().typicalBox();
  const fifos: string[] = [];
  let sensor: SensorUnderTest;
  let base: string;

  before(async () => {
    for (let i = 0; i < hungCount; i++) {
      const dir = sysfs.hwmon(10 + i, 'hung', {});
      fifos.push(join(dir, 'temp1_input'));
      execFileSync('mkfifo', [join(dir, 'temp1_input')]);
    }
    sensor = await startSensor(sysfs, [
      '--sensor.interval=200ms',
      '--sensor.stale-after=1s',
      '--sensor.read-timeout=100ms',
      '--host.interval=1s',
    ]);
    base = sensor.base;
  });
  after(async () => {
    // Give every blocked open() its writer, so no thread stays hung in the kernel.
    for (const fifo of fifos) {
      try {
        closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {}
    }
    await sensor?.stop(2000);
    sysfs.remove();
  });

  const metric = async (re: RegExp): Promise<number | undefined> => {
    const m = re.exec((await httpGet(`${base}/metrics`)).body);
    return m ? Number(m[1]) : undefined;
  };
  const lastSuccess = (device: string) =>
    metric(
      new RegExp(`^sensor_last_success_timestamp_seconds\\{[^}]*device="${device}"[^}]*\\} (\\S+)$`, 'm'),
    );
  const sensorUp = (device: string) =>
    metric(new RegExp(`^sensor_up\\{[^}]*device="${device}"[^}]*\\} (\\S+)$`, 'm'));

  it('keeps reading the good sensors', async () => {
    for (const device of ['iio:device0', 'hwmon0', 'hwmon1', 'thermal_zone0']) {
      const first = await waitFor(
        `${device} read once`,
        async () => ((await lastSuccess(device)) ?? 0) > 0 && lastSuccess(device),
        5000,
      );
      await waitFor(
        `${device} read again`,
        async () => ((await lastSuccess(device)) ?? 0) > (first as number),
        5000,
      );
      assert.equal(await sensorUp(device), 1, device);
    }
  });

  it('keeps the host metrics advancing (statfs and /proc reads are not starved)', async () => {
    const timeRe = /^node_time_seconds (\S+)$/m;
    const first = await waitFor('node_time_seconds', () => metric(timeRe), 5000);
    await waitFor('node_time_seconds advances', async () => ((await metric(timeRe)) ?? 0) > first, 5000);
    await waitFor(
      'node_filesystem_avail_bytes',
      () => metric(/^node_filesystem_avail_bytes\{[^}]*\} (\S+)$/m),
      5000,
    );
  });

  it('reports the hung sensors failed', async () => {
    for (let i = 0; i < hungCount; i++) {
      const device = `hwmon${10 + i}`;
      assert.equal(await sensorUp(device), 0, device);
    }
  });
});
