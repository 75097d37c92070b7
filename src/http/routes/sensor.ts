/**
 * GET /sensor: the current readings as small JSON. A stale or failing sensor says so and its
 * age shows how old the value is; a sensor never read has no values.
 */
import type { SensorReport } from '../../api/types.js';
import type { SensorStatus } from '../../sensor/sensor-status.js';

import { quantityUnit } from '../../sensor/types.js';
import { sendJson } from '../respond.js';
import type { Route } from '../router.js';

function sensorReport(statuses: Iterable<SensorStatus>, staleAfterMs: number, now: number): SensorReport {
  const sensors: SensorReport['sensors'] = [];
  let degraded = false;
  let pending = false;
  for (const s of statuses) {
    const state = s.state(now, staleAfterMs);
    if (state === 'pending') pending = true;
    else if (state !== 'ok') degraded = true;
    const values: Record<string, number> = {};
    for (const r of s.readings) values[`${r.channel}_${quantityUnit[r.quantity]}`] = round(r.value);
    sensors.push({
      id: s.key,
      source: s.sensor.source,
      device: s.sensor.device,
      name: s.sensor.name,
      location: s.sensor.location,
      state,
      age_seconds: s.lastSuccessMs === 0 ? null : Math.round((now - s.lastSuccessMs) / 100) / 10,
      values,
    });
  }
  return {
    status: degraded ? 'degraded' : pending ? 'starting' : 'ok',
    timestamp: new Date(now).toISOString(),
    sensors,
  };
}

/** Six significant digits: sensors are not more precise, and it keeps the body small. */
function round(value: number): number {
  return Number(value.toPrecision(6));
}

export function sensorRoute(statuses: () => Iterable<SensorStatus>, staleAfterMs: number): Route {
  return {
    name: 'sensor',
    method: 'GET',
    path: '/sensor',
    handler: (_req, res) => sendJson(res, 200, sensorReport(statuses(), staleAfterMs, Date.now())),
  };
}
