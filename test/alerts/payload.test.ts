import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PayloadError, parseAlertsPayload } from '../../src/alerts/payload.js';

test('parses what vmalert sends', () => {
  const [alert] = parseAlertsPayload([
    {
      startsAt: '2024-05-01T10:00:00.123456789Z',
      generatorURL: 'http://127.0.0.1:8880/vmalert/alert?group_id=1&alert_id=2',
      endsAt: '2024-05-01T10:01:00Z',
      labels: { alertname: 'Hot', severity: 'critical' },
      annotations: { summary: 'too hot' },
    },
  ]);
  assert.deepEqual(alert, {
    labels: { alertname: 'Hot', severity: 'critical' },
    annotations: { summary: 'too hot' },
    startsAt: Date.parse('2024-05-01T10:00:00.123Z'),
    endsAt: Date.parse('2024-05-01T10:01:00Z'),
  });
});

test("Go's zero time and missing times count as not set", () => {
  const [alert] = parseAlertsPayload([{ labels: { alertname: 'A' }, endsAt: '0001-01-01T00:00:00Z' }]);
  assert.equal(alert?.endsAt, undefined);
  assert.equal(alert?.startsAt, undefined);
  assert.deepEqual(alert?.annotations, {});
});

test('each problem names the offending field', () => {
  const cases: Array<[unknown, string]> = [
    [{ labels: { alertname: 'A' } }, 'body must be a JSON array of alerts'],
    [[{ labels: { alertname: 'A' } }, 'x'], 'alerts[1] must be an object'],
    [[{}], 'alerts[0].labels missing'],
    [[{ labels: ['alertname'] }], 'alerts[0].labels must be an object of strings'],
    [
      [{ labels: { alertname: 'A' } }, { labels: { alertname: 'B' } }, { labels: { severity: 'x' } }],
      'alerts[2].labels.alertname missing',
    ],
    [[{ labels: { alertname: '' } }], 'alerts[0].labels.alertname is empty'],
    [[{ labels: { alertname: 'A', value: 3 } }], 'alerts[0].labels.value must be a string'],
    [
      [{ labels: { alertname: 'A' }, annotations: { summary: null } }],
      'alerts[0].annotations.summary must be a string',
    ],
    [
      [{ labels: { alertname: 'A' }, endsAt: 'yesterday' }],
      'alerts[0].endsAt must be an RFC 3339 time, got "yesterday"',
    ],
    [
      [{ labels: { alertname: 'A' }, startsAt: 1714557600 }],
      'alerts[0].startsAt must be an RFC 3339 time, got 1714557600',
    ],
  ];
  for (const [body, message] of cases) {
    assert.throws(
      () => parseAlertsPayload(body),
      (err: unknown) => err instanceof PayloadError && err.message === message,
      message,
    );
  }
});
