/** "Is this box OK?": the verdict from sensors, alerts and components. Pure. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alertsFor, sensorTitle, verdict } from '../../dashboard/src/verdict.js';
import type { ActiveAlertJson, SensorEntry, StackComponentJson } from '../../src/api/types.js';

const sensor = (device: string, state: SensorEntry['state'] = 'ok', name = 'bme280'): SensorEntry => ({
  id: `iio/${device}`,
  source: 'iio',
  device,
  name,
  location: 'shed',
  state,
  age_seconds: 1,
  values: {},
});
const alert = (device: string, severity = 'warning'): ActiveAlertJson => ({
  fingerprint: device,
  name: 'SensorTemperatureHigh',
  severity,
  state: 'firing',
  labels: { device, source: 'iio' },
  annotations: { summary: `Temperature high on ${device}` },
  startsAt: '2026-12-04T10:00:00Z',
  updatedAt: '2026-12-04T10:00:00Z',
});
const component = (name: string, health: StackComponentJson['health'] = 'healthy'): StackComponentJson => ({
  name,
  pid: 1,
  health,
  uptime_seconds: 1,
  restarts: 0,
  crash_looping: false,
  last_exit: null,
  budget_bytes: null,
  memory: { rss_bytes: 0, pss_bytes: 0, anon_bytes: 0 },
});
const healthy = [component('edgewatch'), component('victoriametrics'), component('vmalert')];
const input = { sensors: [sensor('iio:device0')], alerts: [], components: healthy, historyDown: undefined };

describe('dashboard verdict', () => {
  it('OK with no reasons when everything reads and nothing fires', () => {
    assert.deepEqual(verdict(input), { level: 'ok', reasons: [] });
  });

  it('a warning alert or VictoriaMetrics down degrades; the reasons say so', () => {
    const v = verdict({ ...input, alerts: [alert('iio:device0')] });
    assert.deepEqual(v, { level: 'degraded', reasons: ['Temperature high on iio:device0 (alert)'] });
    const vm = verdict({
      ...input,
      historyDown: 'VictoriaMetrics down',
      components: [component('victoriametrics', 'unhealthy')],
    });
    assert.equal(vm.level, 'degraded');
    assert.deepEqual(vm.reasons, ['VictoriaMetrics down', 'victoriametrics is unhealthy']);
  });

  it('a stale sensor weighs as a failing one, as does a critical alert or a crash loop', () => {
    assert.equal(verdict({ ...input, sensors: [sensor('iio:device0', 'stale')] }).level, 'failing');
    assert.equal(verdict({ ...input, sensors: [sensor('iio:device0', 'failing')] }).level, 'failing');
    assert.equal(verdict({ ...input, alerts: [alert('iio:device0', 'critical')] }).level, 'failing');
    assert.equal(
      verdict({ ...input, components: [{ ...component('vmalert'), crash_looping: true }] }).level,
      'failing',
    );
    assert.equal(verdict({ ...input, sensors: undefined }).level, 'failing');
  });

  it('alerts belong to the sensor whose device (and source) they name', () => {
    const s = sensor('iio:device0');
    assert.equal(alertsFor(s, [alert('iio:device0'), alert('sim0')]).length, 1);
    assert.equal(
      alertsFor(s, [{ ...alert('iio:device0'), labels: { device: 'iio:device0', source: 'hwmon' } }]).length,
      0,
    );
  });

  it('names a sensor by location and chip, with the device when two would read alike', () => {
    const a = sensor('sim0', 'ok', 'simulated');
    const b = sensor('sim1', 'ok', 'simulated');
    assert.equal(sensorTitle(a, [a]), 'shed simulated');
    assert.equal(sensorTitle(a, [a, b]), 'shed simulated sim0');
  });
});
