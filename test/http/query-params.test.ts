/**
 * The query proxy's parameter and limit checks, without a VictoriaMetrics: each limit refuses
 * with its code, and what passes is only the allow-listed parameters.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRfc3339 } from '../../src/config/rfc3339.js';
import { endpoints, labelValues, openEndpointsText } from '../../src/http/query-endpoints.js';
import {
  checkParams,
  labelValuesPath,
  MAX_QUERY_BYTES,
  type QueryLimits,
  RequestError,
} from '../../src/http/query-params.js';

const limits: QueryLimits = { maxRangeMs: 86_400_000, maxPoints: 100, timeoutMs: 5000 };
const now = Date.UTC(2026, 0, 10);
const nowSec = now / 1000;

function refusal(fn: () => unknown): { status: number; code: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof RequestError) return { status: err.status, code: err.code, message: err.message };
    throw err;
  }
  return assert.fail('expected a refusal');
}

const check = (endpoint: keyof typeof endpoints, params: Record<string, string>) =>
  checkParams(endpoints[endpoint], new URLSearchParams(params), limits, now);

test('forwards only the allow-listed parameters and caps the timeout', () => {
  const out = check('/api/v1/query', { query: 'up', bogus: 'x', timeout: '1h' });
  assert.deepEqual([...out.keys()].sort(), ['query', 'timeout']);
  assert.equal(out.get('timeout'), '5000ms');
  assert.equal(check('/api/v1/query', { query: 'up', timeout: '2s' }).get('timeout'), '2000ms');
});

test('each limit refuses with the code naming it', () => {
  const range = { query: 'up', end: String(nowSec), step: '15s' };
  const cases: Array<[string, () => unknown, string]> = [
    ['missing', () => check('/api/v1/query_range', { query: 'up' }), 'missing_parameter'],
    [
      'long query',
      () => check('/api/v1/query', { query: 'a'.repeat(MAX_QUERY_BYTES + 1) }),
      'query_too_long',
    ],
    [
      'range',
      () => check('/api/v1/query_range', { ...range, start: String(nowSec - 2 * 86_400) }),
      'range_too_long',
    ],
    [
      'backwards',
      () => check('/api/v1/query_range', { ...range, start: String(nowSec + 60) }),
      'invalid_range',
    ],
    [
      'points',
      () => check('/api/v1/query_range', { ...range, start: String(nowSec - 3600) }),
      'too_many_points',
    ],
    ['bad time', () => check('/api/v1/query', { query: 'up', time: 'yesterday' }), 'invalid_parameter'],
    [
      'bad step',
      () => check('/api/v1/query_range', { ...range, start: String(nowSec - 60), step: '0' }),
      'invalid_parameter',
    ],
    ['bad label', () => labelValuesPath('/api/v1/label/a-b/values'), 'invalid_parameter'],
    ['label shape', () => labelValuesPath('/api/v1/label/x'), 'forbidden_endpoint'],
  ];
  for (const [what, fn, code] of cases) assert.equal(refusal(fn).code, code, what);
  const many = new URLSearchParams();
  for (let i = 0; i < 21; i++) many.append('match[]', `m${i}`);
  assert.equal(refusal(() => checkParams(labelValues, many, limits, now)).code, 'too_many_matchers');
});

test('the range is measured against the injected clock when end is absent', () => {
  // 23 h before `now` fits the 1-day limit; 25 h does not. With Date.now() this would drift.
  const start = (h: number) => ({ query: 'up', start: String(nowSec - h * 3600) });
  assert.ok(check('/api/v1/series', { 'match[]': 'up', ...start(23) }));
  assert.equal(
    refusal(() => check('/api/v1/series', { 'match[]': 'up', ...start(25) })).code,
    'range_too_long',
  );
});

test('the 403 message lists every open endpoint from the table', () => {
  for (const path of Object.keys(endpoints)) assert.ok(openEndpointsText.includes(path), path);
  assert.ok(openEndpointsText.includes('/api/v1/label/<name>/values'));
});

test('RFC 3339: full date-time with offset only', () => {
  assert.equal(parseRfc3339('2026-01-10T00:00:00Z'), now);
  assert.equal(parseRfc3339('2026-01-10T01:00:00.000+01:00'), now);
  for (const bad of ['2026-01-10', 'Jan 10 2026', '2026-01-10T00:00:00', '2026-13-45T00:00:00Z']) {
    assert.equal(parseRfc3339(bad), undefined, bad);
  }
});
