/** The dashboard's formatters, without a browser. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  durationSince,
  formatAge,
  formatBytes,
  formatDateTime,
  formatLastExit,
  formatReading,
  formatSeconds,
  formatValue,
} from '../../dashboard/src/format.js';

describe('dashboard formatting', () => {
  it('labels readings by quantity, naming the channel only when it adds something', () => {
    assert.deepEqual(formatReading('temp_celsius', 21.456), { label: 'Temperature', text: '21.5 °C' });
    assert.deepEqual(formatReading('humidityrelative_ratio', 0.4123), { label: 'Humidity', text: '41.2 %' });
    assert.deepEqual(formatReading('pressure_pascals', 101_325), { label: 'Pressure', text: '1013.3 hPa' });
    assert.deepEqual(formatReading('cpu_celsius', 50), { label: 'Temperature (cpu)', text: '50.0 °C' });
    assert.deepEqual(formatReading('odd', 3), { label: 'odd', text: '3' });
  });

  it('writes durations and ages in the largest two units', () => {
    assert.equal(formatSeconds(45), '45 s');
    assert.equal(formatSeconds(720), '12 min');
    assert.equal(formatSeconds(5 * 3600), '5 h');
    assert.equal(formatSeconds(5 * 3600 + 120), '5 h 2 min');
    assert.equal(formatSeconds(3 * 86_400 + 4 * 3600), '3 d 4 h');
    assert.equal(formatAge(null), 'never read');
    assert.equal(formatAge(2.34), '2.3 s ago');
    assert.equal(formatAge(42), '42 s ago');
    assert.equal(formatAge(720), '12 min ago');
  });

  it('writes bytes in decimal units and chart values in their unit', () => {
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(12_345), '12 kB');
    assert.equal(formatBytes(45_600_000), '45.6 MB');
    assert.equal(formatBytes(2_500_000_000), '2.50 GB');
    assert.equal(formatValue('seconds', 0.0123), '12.3 ms');
    assert.equal(formatValue('seconds', 2.5), '2.50 s');
    assert.equal(formatValue('up', 1), 'up');
    assert.equal(formatValue('up', 0), 'down');
    assert.equal(formatValue('per_second', 1500.4), '1500/s');
    assert.equal(formatValue('per_second', 0.25), '0.25/s');
  });

  it('writes every time one way, 24-hour, with the zone', () => {
    const t = Date.UTC(2026, 11, 3, 9, 28, 28);
    assert.equal(formatDateTime(t, 'UTC'), '2026-12-03 09:28:28 UTC');
    assert.equal(formatDateTime(t, 'Europe/Berlin'), '2026-12-03 10:28:28 CET');
    assert.equal(formatDateTime(t, 'America/New_York'), '2026-12-03 04:28:28 UTC-5');
    assert.equal(durationSince('2026-12-03T09:16:28Z', t), '12 min');
    assert.equal(durationSince('not a time', t), '?');
  });
  it('says when and why a component last ended, relative and in the one date format', () => {
    const now = Date.parse('2026-12-04T09:03:10Z');
    const exit = { at: '2026-12-04T09:00:00.000Z', reason: 'killed by SIGKILL' };
    assert.equal(
      formatLastExit(exit, true, now, 'UTC'),
      'restarted 3 min ago: killed by SIGKILL (2026-12-04 09:00:00 UTC)',
    );
    assert.equal(
      formatLastExit(exit, false, now, 'UTC'),
      'exited 3 min ago: killed by SIGKILL (2026-12-04 09:00:00 UTC)',
    );
    assert.equal(formatLastExit(null, true, now), undefined);
  });
});
