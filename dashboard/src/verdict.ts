/**
 * "Is this box OK?": one verdict from the sensors' states, the firing alerts and the stack's
 * components, with the reasons. Pure, unit-tested in test/dashboard/verdict.test.ts.
 *
 * A stale sensor weighs as much as a failing one: its last value is not what the room reads now.
 */
import type { ActiveAlert, Component, SensorEntry } from './types.js';

export type Level = 'ok' | 'degraded' | 'failing';

export interface Verdict {
  level: Level;
  reasons: string[];
}

export interface VerdictInput {
  /** Undefined: /sensor did not answer. */
  sensors: readonly SensorEntry[] | undefined;
  alerts: readonly ActiveAlert[] | undefined;
  components: readonly Component[] | undefined;
  /** Why VictoriaMetrics answered no query, if it did not. */
  historyDown: string | undefined;
}

/** `location name` (the chip), with the device when two sensors would read alike. */
export function sensorTitle(sensor: SensorEntry, all: readonly SensorEntry[]): string {
  const base = [sensor.location, sensor.name || sensor.device].filter((p) => p !== '').join(' ');
  const twins = all.filter(
    (s) => s.location === sensor.location && (s.name || s.device) === (sensor.name || sensor.device),
  );
  return twins.length > 1 && sensor.name !== '' ? `${base} ${sensor.device}` : base;
}

/** Alerts about this sensor: labelled with its device (and source, where the rule keeps it). */
export function alertsFor(sensor: SensorEntry, alerts: readonly ActiveAlert[]): ActiveAlert[] {
  return alerts.filter(
    (a) =>
      a.labels.device === sensor.device &&
      (a.labels.source === undefined || a.labels.source === sensor.source),
  );
}

export function verdict(input: VerdictInput): Verdict {
  const failing: string[] = [];
  const degraded: string[] = [];
  const { sensors, alerts, components } = input;

  if (sensors === undefined) failing.push('sensor readings unavailable');
  for (const s of sensors ?? []) {
    const title = sensorTitle(s, sensors ?? []);
    if (s.state === 'failing') failing.push(`${title}: last read failed`);
    else if (s.state === 'stale') failing.push(`${title}: no fresh reading`);
    else if (s.state === 'pending') degraded.push(`${title}: not read yet`);
  }
  if (sensors !== undefined && sensors.length === 0) degraded.push('no sensors found');

  for (const a of alerts ?? []) {
    const text = `${a.annotations.summary ?? a.name} (alert)`;
    (a.severity === 'critical' ? failing : degraded).push(text);
  }
  if (alerts === undefined) degraded.push('alerts unavailable');

  if (input.historyDown !== undefined) degraded.push(input.historyDown);
  for (const c of components ?? []) {
    if (c.crash_looping) failing.push(`${c.name} is crash-looping`);
    else if (c.health !== 'healthy') degraded.push(`${c.name} is ${c.health}`);
  }

  if (failing.length > 0) return { level: 'failing', reasons: [...failing, ...degraded] };
  if (degraded.length > 0) return { level: 'degraded', reasons: degraded };
  return { level: 'ok', reasons: [] };
}

export const levelText: Record<Level, string> = { ok: 'OK', degraded: 'Degraded', failing: 'Failing' };
