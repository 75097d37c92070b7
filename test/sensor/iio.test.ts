import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createIioSource } from '../../src/sensor/sources/iio.js';
import { type ChannelReading, type Sensor, SensorValueError } from '../../src/sensor/types.js';
import { type SysfsTree, sysfsTreeFactory } from '../helpers/sysfs-tree.js';
import { sleep } from '../helpers/wait.js';

const signal = () => AbortSignal.timeout(5000);

function byChannel(readings: ChannelReading[]): Record<string, [string, number]> {
  return Object.fromEntries(readings.map((r) => [r.channel, [r.quantity, r.value]]));
}

async function discover(tree: SysfsTree): Promise<Sensor[]> {
  return createIioSource({ sysfsRoot: tree.root }).discover();
}

describe('iio source', () => {
  const tree = sysfsTreeFactory();

  it('reads processed channels and raw × scale, in base units', async () => {
    const t = tree();
    t.bme280(0);
    const [sensor, ...rest] = await discover(t);
    assert.equal(rest.length, 0);
    assert.equal(sensor?.source, 'iio');
    assert.equal(sensor?.device, 'iio:device0');
    assert.equal(sensor?.name, 'bme280');
    assert.deepEqual(byChannel(await sensor!.read(signal())), {
      humidityrelative: ['humidity', 0.4525],
      pressure: ['pressure', 101325],
      temp: ['temperature', 21.5],
    });
  });

  it('applies offset before scale, and defaults scale to 1 and offset to 0', async () => {
    const t = tree();
    t.write('bus/iio/devices/iio:device0', {
      name: 'htu21',
      in_temp_raw: '1000',
      in_temp_scale: '10',
      in_temp_offset: '-500',
      in_humidityrelative_raw: '40000',
      in_pressure_raw: '99.5',
      in_pressure_offset: '0.5',
    });
    const [sensor] = await discover(t);
    assert.deepEqual(byChannel(await sensor!.read(signal())), {
      humidityrelative: ['humidity', 0.4],
      pressure: ['pressure', 100000],
      temp: ['temperature', 5],
    });
  });

  it('reads scale and offset once, at discovery', async () => {
    const t = tree();
    const dir = t.write('bus/iio/devices/iio:device0', {
      name: 'x',
      in_temp_raw: '100',
      in_temp_scale: '10',
    });
    const [sensor] = await discover(t);
    t.write('bus/iio/devices/iio:device0', { in_temp_scale: '20' });
    assert.equal((await sensor!.read(signal()))[0]?.value, 1);
    rmSync(join(dir, 'in_temp_scale'));
    assert.equal((await sensor!.read(signal()))[0]?.value, 1);
  });

  it('names indexed and modified channels, using the per-type scale when a channel has none', async () => {
    const t = tree();
    t.write('bus/iio/devices/iio:device3', {
      name: 'multi',
      in_temp0_input: '20000',
      in_temp1_raw: '300',
      in_temp1_scale: '100',
      in_temp2_raw: '5',
      in_temp_scale: '1000',
      in_temp_object_raw: '7',
      in_temp_ambient_raw: '8',
      in_temp_offset: '1',
    });
    const [sensor] = await discover(t);
    assert.deepEqual(byChannel(await sensor!.read(signal())), {
      temp0: ['temperature', 20],
      temp1: ['temperature', 30.1],
      temp2: ['temperature', 6],
      temp_ambient: ['temperature', 9],
      temp_object: ['temperature', 8],
    });
    assert.deepEqual(
      (await sensor!.read(signal())).map((r) => r.channel),
      ['temp0', 'temp1', 'temp2', 'temp_ambient', 'temp_object'],
    );
  });

  it('prefers the processed value when a channel has both _input and _raw', async () => {
    const t = tree();
    t.write('bus/iio/devices/iio:device0', {
      name: 'both',
      in_temp_input: '23000',
      in_temp_raw: '1',
      in_temp_scale: '1',
    });
    const [sensor] = await discover(t);
    assert.deepEqual(byChannel(await sensor!.read(signal())), { temp: ['temperature', 23] });
  });

  it('skips devices without a supported channel, triggers, and a missing class directory', async () => {
    const t = tree();
    t.write('bus/iio/devices/iio:device0', { name: 'accel', in_accel_x_raw: '12', in_accel_scale: '0.01' });
    t.write('bus/iio/devices/trigger0', { name: 'trig', in_temp_input: '1' });
    t.bme280(1);
    assert.deepEqual(
      (await discover(t)).map((s) => s.device),
      ['iio:device1'],
    );
    t.remove();
    assert.deepEqual(await discover(t), []);
  });

  it('lists devices in natural order', async () => {
    const t = tree();
    for (const i of [10, 2, 1]) t.bme280(i);
    assert.deepEqual(
      (await discover(t)).map((s) => s.device),
      ['iio:device1', 'iio:device2', 'iio:device10'],
    );
  });

  it('rejects with ENOENT when the device disappears after discovery', async () => {
    const t = tree();
    const dir = t.bme280(0);
    const [sensor] = await discover(t);
    rmSync(dir, { recursive: true });
    await assert.rejects(sensor!.read(signal()), { code: 'ENOENT' });
  });

  it('rejects with SensorValueError when the driver returns garbage', async () => {
    const t = tree();
    t.bme280(0);
    const [sensor] = await discover(t);
    t.write('bus/iio/devices/iio:device0', { in_humidityrelative_input: 'abc' });
    await assert.rejects(sensor!.read(signal()), SensorValueError);
  });

  it('does not resolve a read stuck in open(), and settles once the kernel lets go', async () => {
    const t = tree();
    const dir = t.bme280(0);
    const [sensor] = await discover(t);
    // A FIFO without a writer blocks open() in a threadpool thread, like a wedged I2C bus.
    const fifo = join(dir, 'in_temp_input');
    rmSync(fifo);
    execFileSync('mkfifo', [fifo]);

    const outcome = sensor!.read(AbortSignal.timeout(50)).then(
      () => 'value',
      (err: Error) => err.name,
    );
    assert.equal(await Promise.race([outcome, sleep(200).then(() => 'timer')]), 'timer');

    // Opening the FIFO for writing releases the blocked open(), freeing the thread.
    closeSync(openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK));
    assert.equal(await outcome, 'AbortError');
  });

  it('rejects at once, without opening anything, when the signal is already aborted', async () => {
    const t = tree();
    const dir = t.bme280(0);
    const [sensor] = await discover(t);
    const fifo = join(dir, 'in_temp_input');
    rmSync(fifo);
    execFileSync('mkfifo', [fifo]);
    await assert.rejects(sensor!.read(AbortSignal.abort()), { name: 'AbortError' });
  });
});
