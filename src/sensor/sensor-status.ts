/**
 * The cache between sampling and serving: the last good readings of each sensor, when they were
 * taken, and how reading has gone since. Scrapes and /sensor read only this.
 */
import type { SensorState } from '../api/types.js';
import { type ChannelReading, type Sensor, sensorKey } from './types.js';

export class SensorStatus {
  readonly key: string;
  readonly sensor: Sensor;
  readings: readonly ChannelReading[] = [];
  lastSuccessMs = 0;
  lastAttemptFailed = false;
  errorsTotal = 0;

  constructor(sensor: Sensor) {
    this.sensor = sensor;
    this.key = sensorKey(sensor);
  }

  succeeded(readings: readonly ChannelReading[], now: number): void {
    this.readings = readings;
    this.lastSuccessMs = now;
    this.lastAttemptFailed = false;
  }

  failed(): void {
    this.errorsTotal++;
    this.lastAttemptFailed = true;
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
