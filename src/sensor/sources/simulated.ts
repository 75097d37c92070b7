/**
 * Simulated room sensors for development and demos on machines without hardware: temperature
 * and humidity that wander like a real room's instead of jumping, and repeat exactly for a seed
 * so tests and screenshots are reproducible.
 */
import type { ChannelReading, Sensor, Source } from '../types.js';

export interface SimulatedSourceOptions {
  /** Same seed, same values. Default: the current time. */
  readonly seed?: number;
  /** Number of sensors, `sim0`…. Default 1. */
  readonly count?: number;
}

/** mulberry32: a 32-bit state PRNG, good enough for noise and tiny. Returns values in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface WalkSpec {
  readonly center: number;
  readonly halfRange: number;
  /** Largest change per read. */
  readonly step: number;
  /** Decimals reported, like a real sensor's resolution. */
  readonly decimals: number;
}

export const simulatedTemperature: WalkSpec = { center: 21, halfRange: 8, step: 0.1, decimals: 2 };
export const simulatedHumidity: WalkSpec = { center: 0.45, halfRange: 0.25, step: 0.004, decimals: 4 };

// Pulls the walk gently back towards the center, so it hovers around plausible values instead
// of spending its time pressed against a bound.
const meanReversion = 0.02;

class Walk {
  #value: number;
  readonly #factor: number;

  constructor(
    readonly spec: WalkSpec,
    readonly random: () => number,
  ) {
    this.#factor = 10 ** spec.decimals;
    this.#value = spec.center + (random() * 2 - 1) * (spec.halfRange / 2);
  }

  next(): number {
    const { center, halfRange, step } = this.spec;
    let v = this.#value + (center - this.#value) * meanReversion + (this.random() * 2 - 1) * step;
    // Reflect at the bounds; a step is far smaller than the range, so one reflection suffices.
    if (v > center + halfRange) v = 2 * (center + halfRange) - v;
    if (v < center - halfRange) v = 2 * (center - halfRange) - v;
    this.#value = v;
    // Dividing by a power of ten (not multiplying by 0.01) yields the double nearest the decimal.
    return Math.round(v * this.#factor) / this.#factor;
  }
}

class SimulatedSensor implements Sensor {
  readonly source = 'simulated';
  readonly name = 'simulated';
  location = '';
  readonly #temperature: Walk;
  readonly #humidity: Walk;

  constructor(
    readonly device: string,
    seed: number,
  ) {
    const random = mulberry32(seed);
    this.#temperature = new Walk(simulatedTemperature, random);
    this.#humidity = new Walk(simulatedHumidity, random);
  }

  async read(signal: AbortSignal): Promise<ChannelReading[]> {
    signal.throwIfAborted();
    return [
      { channel: 'temp', quantity: 'temperature', value: this.#temperature.next() },
      { channel: 'humidityrelative', quantity: 'humidity', value: this.#humidity.next() },
    ];
  }
}

export function createSimulatedSource(options: SimulatedSourceOptions = {}): Source {
  const seed = options.seed ?? Date.now();
  const count = options.count ?? 1;
  return {
    name: 'simulated',
    discover: async () =>
      // Spread the per-sensor seeds by the golden ratio so neighbouring sensors do not correlate.
      Array.from(
        { length: count },
        (_, i) => new SimulatedSensor(`sim${i}`, seed + Math.imul(i, 0x9e3779b9)),
      ),
  };
}
