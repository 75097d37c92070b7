/**
 * The cache between sampling and serving: the last good readings of each sensor, when they were
 * taken, and how reading has gone since. Scrapes and /sensor read only this.
 */

import type { SensorState } from '../api/types.js';
import { escapeLabelValue } from '../metrics/exposition.js';
import { type ChannelReading, type Sensor, sensorKey } from './types.js';

export type { SensorState };

export class SensorStatus {
  readonly key: string;
  readonly sensor: Sensor;
  readings: readonly ChannelReading[] = [];
  lastSuccessMs = 0;
  lastAttemptFailed = false;
  lastError: string | undefined;
  errorsTotal = 0;
  /** `source="…",device="…",location="…"`, built once: rendering only concatenates. */
  readonly labels: string;
  readonly #channelLabels = new Map<string, string>();

  constructor(sensor: Sensor) {
    this.sensor = sensor;
    this.key = sensorKey(sensor);
    this.labels = `source="${sensor.source}",device="${escapeLabelValue(sensor.device)}",location="${escapeLabelValue(sensor.location)}"`;
  }

  /** `{source…,channel="…"} `: the label block of one reading series. */
  channelLabels(channel: string): string {
    let labels = this.#channelLabels.get(channel);
    if (labels === undefined) {
      labels = `{source="${this.sensor.source}",device="${escapeLabelValue(this.sensor.device)}",channel="${escapeLabelValue(channel)}",location="${escapeLabelValue(this.sensor.location)}"} `;
      this.#channelLabels.set(channel, labels);
    }
    return labels;
  }

  succeeded(readings: readonly ChannelReading[], now: number): void {
    this.readings = readings;
    this.lastSuccessMs = now;
    this.lastAttemptFailed = false;
    this.lastError = undefined;
  }

  failed(error: Error): void {
    this.errorsTotal++;
    this.lastAttemptFailed = true;
    this.lastError = error.message;
  }

  /** Readings older than `staleAfterMs` are never served as current. */
  state(now: number, staleAfterMs: number): SensorState {
    if (this.lastSuccessMs === 0) return this.lastAttemptFailed ? 'failing' : 'pending';
    if (now - this.lastSuccessMs > staleAfterMs) return 'stale';
    return this.lastAttemptFailed ? 'failing' : 'ok';
  }

  /** Fresh readings exist and the last read worked. */
  isUp(now: number, staleAfterMs: number): boolean {
    return this.state(now, staleAfterMs) === 'ok';
  }

  /** Values still fresh enough to serve (even while the latest attempt failed). */
  hasFreshReadings(now: number, staleAfterMs: number): boolean {
    return this.lastSuccessMs !== 0 && now - this.lastSuccessMs <= staleAfterMs;
  }
}
