import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createSimulatedSource,
  mulberry32,
  simulatedHumidity,
  simulatedTemperature,
} from '../../src/sensor/sources/simulated.js';
import type { Sensor } from '../../src/sensor/types.js';

const signal = AbortSignal.timeout(60_000);

async function values(sensor: Sensor, steps: number): Promise<number[][]> {
  const out: number[][] = [];
  for (let i = 0; i < steps; i++) out.push((await sensor.read(signal)).map((r) => r.value));
  return out;
}

async function first(seed: number | undefined, count?: number): Promise<Sensor[]> {
  return createSimulatedSource({ seed, count }).discover();
}

describe('simulated source', () => {
  it('mulberry32 is deterministic and uniform-ish in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    let sum = 0;
    for (let i = 0; i < 10_000; i++) {
      const x = a();
      assert.equal(x, b());
      assert.ok(x >= 0 && x < 1);
      sum += x;
    }
    assert.ok(Math.abs(sum / 10_000 - 0.5) < 0.02);
  });

  it('names sensors sim0… with temperature and humidity channels', async () => {
    const sensors = await first(1, 3);
    assert.deepEqual(
      sensors.map((s) => [s.source, s.device, s.name, s.location]),
      [
        ['simulated', 'sim0', 'simulated', ''],
        ['simulated', 'sim1', 'simulated', ''],
        ['simulated', 'sim2', 'simulated', ''],
      ],
    );
    const readings = await sensors[0]!.read(signal);
    assert.deepEqual(
      readings.map((r) => [r.channel, r.quantity]),
      [
        ['temp', 'temperature'],
        ['humidityrelative', 'humidity'],
      ],
    );
    assert.equal((await first(undefined)).length, 1);
  });

  it('repeats exactly for a seed, differs across seeds and across sensors', async () => {
    const [a] = await first(7);
    const [b] = await first(7);
    const [c, d] = await first(8, 2);
    const seqA = await values(a!, 100);
    assert.deepEqual(seqA, await values(b!, 100));
    assert.notDeepEqual(seqA, await values(c!, 100));
    assert.notDeepEqual(await values((await first(8, 2))[0]!, 100), await values(d!, 100));
  });

  it('wanders within bounds over 10,000 steps, one small step at a time', async () => {
    const [sensor] = await first(123);
    const seq = await values(sensor!, 10_000);
    const temps = seq.map(([t]) => t as number);
    const hums = seq.map(([, h]) => h as number);
    const within = (xs: number[], c: number, r: number) => xs.every((x) => x >= c - r && x <= c + r);
    assert.ok(within(temps, simulatedTemperature.center, simulatedTemperature.halfRange));
    assert.ok(within(hums, simulatedHumidity.center, simulatedHumidity.halfRange));
    assert.ok(temps.every((x) => x >= 13 && x <= 29) && hums.every((x) => x >= 0.2 && x <= 0.7));
    // Like a room, not noise: no read jumps more than a twentieth of the range.
    for (let i = 1; i < seq.length; i++) {
      assert.ok(Math.abs(temps[i]! - temps[i - 1]!) < simulatedTemperature.halfRange / 10, `temp step ${i}`);
      assert.ok(Math.abs(hums[i]! - hums[i - 1]!) < simulatedHumidity.halfRange / 10, `humidity step ${i}`);
    }
    // It moves: not stuck at one value, and spreads over a fair part of the range.
    assert.ok(Math.max(...temps) - Math.min(...temps) > 1);
    assert.ok(Math.max(...hums) - Math.min(...hums) > 0.03);
  });

  it('rejects when the signal is aborted', async () => {
    const [sensor] = await first(1);
    await assert.rejects(sensor!.read(AbortSignal.abort()), { name: 'AbortError' });
  });
});
