import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AlertStore } from '../../src/alerts/alert-store.js';
import type { PostedAlert } from '../../src/alerts/payload.js';

const t0 = Date.parse('2024-05-01T10:00:00Z');
const options = { maxActive: 10, historySize: 5, resolveTimeoutMs: 300_000 };

const firing = (name: string, extra: Partial<PostedAlert> = {}): PostedAlert => ({
  labels: { alertname: name, severity: 'critical' },
  annotations: { summary: `${name} fired` },
  ...extra,
});

test('only state changes are reported: re-sends update the alert silently', () => {
  const store = new AlertStore(options);
  const first = store.receive([firing('Hot', { startsAt: t0 - 5000, endsAt: t0 + 60_000 })], t0);
  assert.equal(first.changes.length, 1);
  assert.equal(first.changes[0]?.state, 'firing');
  assert.equal(first.changes[0]?.startsAt, t0 - 5000);

  const again = store.receive(
    [{ ...firing('Hot', { startsAt: t0 - 5000, endsAt: t0 + 75_000 }), annotations: { summary: 'hotter' } }],
    t0 + 15_000,
  );
  assert.deepEqual(again.changes, []);
  const [active] = store.active();
  assert.equal(active?.updatedAt, t0 + 15_000);
  assert.equal(active?.expiresAt, t0 + 75_000);
  assert.deepEqual(active?.annotations, { summary: 'hotter' });
  assert.equal(store.history().length, 1);
});

test('an endsAt in the past resolves; a resolve for an unknown alert is ignored', () => {
  const store = new AlertStore(options);
  store.receive([firing('Hot')], t0);
  const resolved = store.receive([firing('Hot', { endsAt: t0 + 10_000 })], t0 + 10_000);
  assert.equal(resolved.changes[0]?.state, 'resolved');
  assert.equal(resolved.changes[0]?.time, t0 + 10_000);
  assert.deepEqual(store.active(), []);
  assert.deepEqual(store.receive([firing('Never', { endsAt: t0 })], t0 + 20_000).changes, []);
  assert.deepEqual(
    store.history().map((c) => `${c.name}:${c.state}`),
    ['Hot:resolved', 'Hot:firing'],
  );
});

test('alerts not re-sent expire at endsAt, or after the resolve timeout without one', () => {
  const store = new AlertStore(options);
  store.receive([firing('WithEnd', { endsAt: t0 + 60_000 }), firing('NoEnd')], t0);
  assert.deepEqual(store.expire(t0 + 59_999), []);
  assert.deepEqual(
    store.expire(t0 + 60_000).map((c) => `${c.name}:${c.state}`),
    ['WithEnd:resolved'],
  );
  assert.deepEqual(store.expire(t0 + 299_999), []);
  assert.deepEqual(
    store.expire(t0 + 300_000).map((c) => c.name),
    ['NoEnd'],
  );
  assert.equal(store.active().length, 0);
});

test('the fingerprint is the label set: different labels are different alerts', () => {
  const store = new AlertStore(options);
  const { changes } = store.receive(
    [
      { labels: { alertname: 'Hot', sensor: 'a' }, annotations: {} },
      { labels: { sensor: 'b', alertname: 'Hot' }, annotations: {} },
      { labels: { sensor: 'a', alertname: 'Hot' }, annotations: {} },
    ],
    t0,
  );
  assert.equal(changes.length, 2);
  assert.notEqual(changes[0]?.fingerprint, changes[1]?.fingerprint);
  assert.equal(changes[0]?.severity, 'none');
  assert.match(changes[0]?.fingerprint ?? '', /^[0-9a-f]{16}$/);
});

test('active alerts are bounded; history keeps the newest changes first', () => {
  const store = new AlertStore({ ...options, maxActive: 3 });
  const names = ['A', 'B', 'C', 'D', 'E'];
  const { changes, rejected } = store.receive(
    names.map((n, i) => firing(n, { startsAt: t0 + i })),
    t0,
  );
  assert.equal(changes.length, 3);
  assert.equal(rejected, 2);
  assert.deepEqual(
    store.active().map((a) => a.name),
    ['C', 'B', 'A'],
  );
  // Resolving frees room: the next new alert is accepted.
  store.receive([firing('A', { endsAt: t0 })], t0 + 1);
  assert.equal(store.receive([firing('D')], t0 + 2).rejected, 0);

  // 3 firing + 1 resolved + 1 firing = 5 changes; two more push the oldest two out.
  store.receive([firing('B', { endsAt: t0 }), firing('C', { endsAt: t0 })], t0 + 3);
  assert.deepEqual(
    store.history().map((c) => `${c.name}:${c.state}`),
    ['C:resolved', 'B:resolved', 'D:firing', 'A:resolved', 'C:firing'],
  );
});

test('counts active alerts by severity', () => {
  const store = new AlertStore(options);
  store.receive(
    [
      firing('A'),
      firing('B'),
      { labels: { alertname: 'C', severity: 'warning' }, annotations: {} },
      { labels: { alertname: 'D' }, annotations: {} },
    ],
    t0,
  );
  assert.deepEqual(
    store.countBySeverity(),
    new Map([
      ['critical', 2],
      ['warning', 1],
      ['none', 1],
    ]),
  );
});

test('counts only alerts that have not expired at the given time, without resolving them', () => {
  const store = new AlertStore(options);
  store.receive([firing('Short', { endsAt: t0 + 60_000 }), firing('Long', { endsAt: t0 + 120_000 })], t0);
  assert.deepEqual(store.countBySeverity(t0 + 59_999), new Map([['critical', 2]]));
  assert.deepEqual(store.countBySeverity(t0 + 60_000), new Map([['critical', 1]]));
  assert.deepEqual(store.countBySeverity(t0 + 120_000), new Map());
  assert.equal(store.active().length, 2, 'counting resolves nothing');
  assert.equal(store.history().length, 2);
});
