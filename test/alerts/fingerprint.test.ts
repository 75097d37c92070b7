import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fingerprint } from '../../src/alerts/fingerprint.js';

// Vectors from prometheus/common model/metric_test.go: the same hash Alertmanager shows.
test('fingerprints match Prometheus model.LabelSet.Fingerprint', () => {
  const hex = (n: bigint) => n.toString(16).padStart(16, '0');
  assert.equal(fingerprint({}), hex(14695981039346656037n));
  assert.equal(
    fingerprint({ first_name: 'electro', occupation: 'robot', manufacturer: 'westinghouse' }),
    hex(5911716720268894962n),
  );
  assert.equal(fingerprint({ x: 'y' }), hex(8241431561484471700n));
  assert.equal(fingerprint({ a: 'bb', b: 'c' }), hex(3016285359649981711n));
  assert.equal(fingerprint({ a: 'b', bb: 'c' }), hex(7122421792099404749n));
});

test('fingerprints do not depend on label order', () => {
  assert.equal(
    fingerprint({ alertname: 'Hot', severity: 'warning' }),
    fingerprint({ severity: 'warning', alertname: 'Hot' }),
  );
  assert.notEqual(fingerprint({ alertname: 'Hot' }), fingerprint({ alertname: 'Hot', severity: 'warning' }));
});
