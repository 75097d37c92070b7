/** The delivery tracker's decisions, from vmagent snapshots with time passed in. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeliveryTracker } from '../../src/uplink/delivery.js';
import { emptyUrlSnapshot, parseVmagentMetrics, type UrlSnapshot } from '../../src/uplink/vmagent-metrics.js';

const MARGIN = 5000;
const T0 = 1_800_000_000_000;

function snap(over: Partial<UrlSnapshot> = {}): UrlSnapshot {
  return { ...emptyUrlSnapshot(), ...over };
}

describe('DeliveryTracker', () => {
  it('moves deliveredUntil with a healthy link and never asks for a backfill', () => {
    const t = new DeliveryTracker(undefined, T0, MARGIN);
    for (let i = 0; i < 10; i++) {
      const seen = t.observe(T0 + i * 1000, snap({ ok: i }), 1);
      assert.equal(seen.up, true);
      assert.equal(seen.backfill, undefined);
    }
    assert.equal(t.deliveredUntilMs, T0 + 8000 - MARGIN);
    assert.equal(t.gapOpen, false);
  });

  it('rides out an outage without re-sending: vmagent retries send errors until delivered', () => {
    const t = new DeliveryTracker(undefined, T0, MARGIN);
    t.observe(T0, snap(), 1);
    t.observe(T0 + 1000, snap({ ok: 1 }), 1);
    assert.deepEqual(t.observe(T0 + 2000, snap({ ok: 1, errors: 1, pendingBytes: 5000 }), 1), {
      up: false,
      cause: 'send-errors',
    });
    // vmagent backs off: no new error, data piling up, nothing accepted.
    assert.equal(t.observe(T0 + 3000, snap({ ok: 1, errors: 1, pendingBytes: 900_000 }), 1).up, false);
    assert.equal(
      t.observe(T0 + 4000, snap({ ok: 1, errors: 1, failedRequests: 3, pendingBytes: 1e6 }), 1).up,
      false,
    );
    assert.equal(t.deliveredUntilMs, T0 - MARGIN, 'nothing proven during the outage');
    assert.equal(
      t.observe(T0 + 5000, snap({ ok: 9, errors: 1, failedRequests: 3, pendingBytes: 100_000 }), 1).up,
      false,
    );
    const clean = t.observe(T0 + 6000, snap({ ok: 12, errors: 1, failedRequests: 3 }), 1);
    assert.deepEqual(clean, { up: true });
    assert.equal(t.deliveredUntilMs, T0 + 5000 - MARGIN);
    assert.equal(t.gapOpen, false);
  });

  it('re-sends from before the outage to a vmagent restart in it, once the link is clean', () => {
    const t = new DeliveryTracker(undefined, T0, MARGIN);
    t.observe(T0, snap(), 1);
    t.observe(T0 + 1000, snap({ ok: 1 }), 1);
    t.observe(T0 + 2000, snap({ ok: 1, errors: 1, pendingBytes: 5000 }), 1);
    assert.equal(t.observe(T0 + 3000, snap({ errors: 2, pendingBytes: 9000 }), 2).cause, 'vmagent-restarted');
    assert.equal(t.observe(T0 + 4000, snap({ errors: 2, pendingBytes: 900_000 }), 2).up, false);
    // An empty queue is not enough (a 400 empties it by dropping): nothing was accepted yet.
    assert.equal(t.observe(T0 + 4500, snap({ errors: 2, pendingBytes: 0 }), 2).up, false);
    const clean = t.observe(T0 + 6000, snap({ ok: 12, errors: 2 }), 2);
    assert.deepEqual(clean, { up: true, backfill: { fromMs: T0 - 2 * MARGIN, toMs: T0 + 3000 + MARGIN } });
    assert.equal(t.observe(T0 + 7000, snap({ ok: 13, errors: 2 }), 2).backfill, undefined, 'one at a time');
    t.backfillEnded(true);
    assert.equal(t.gapOpen, false);
    assert.equal(t.deliveredUntilMs, T0 + 4500 - MARGIN);
  });

  it('keeps the gap after a failed backfill, and after a restart re-sends from the persisted point', () => {
    const t = new DeliveryTracker(T0, T0 + 500, MARGIN);
    assert.equal(t.gapOpen, true);
    t.observe(T0 + 1000, snap(), 1);
    const first = t.observe(T0 + 2000, snap({ ok: 1 }), 1).backfill;
    assert.deepEqual(first, { fromMs: T0 - MARGIN, toMs: T0 + 1000 + MARGIN });
    t.backfillEnded(false);
    assert.deepEqual(t.observe(T0 + 3000, snap({ ok: 2 }), 1).backfill, first);
  });

  it('counts a refusal and a queue drop as losses, a 401 or 500 answer as a failure only', () => {
    const t = new DeliveryTracker(undefined, T0, MARGIN);
    t.observe(T0, snap(), 1);
    assert.equal(t.observe(T0 + 1000, snap({ failedRequests: 1 }), 1).cause, 'send-errors');
    assert.equal(t.gapOpen, false);
    assert.equal(t.observe(T0 + 2000, snap({ failedRequests: 2, packetsDropped: 1 }), 1).cause, 'refused');
    assert.equal(t.gapOpen, true);
    const drop = snap({ failedRequests: 2, packetsDropped: 1, queueBytesDropped: 10 });
    assert.equal(t.observe(T0 + 3000, drop, 1).cause, 'queue-dropped');
    assert.equal(t.deliveredUntilMs, T0, 'the gap of a first start begins with the run');
  });

  it('takes vmagent unreachable for down, and a restart behind it for a loss', () => {
    const t = new DeliveryTracker(undefined, T0, MARGIN);
    t.observe(T0, snap(), 1);
    assert.equal(t.observe(T0 + 1000, undefined, 1).cause, 'vmagent-unreachable');
    assert.equal(t.gapOpen, false);
    assert.equal(t.observe(T0 + 2000, snap({ ok: 1 }), 1).up, true, 'the same vmagent, sending');
    assert.equal(t.observe(T0 + 3000, undefined, 1).cause, 'vmagent-unreachable');
    assert.equal(t.observe(T0 + 4000, snap(), 2).cause, 'vmagent-restarted');
    assert.equal(t.gapOpen, true);
  });
});

describe('parseVmagentMetrics', () => {
  it("reads vmagent 1.79's per-URL series, by position", () => {
    const s = parseVmagentMetrics(
      [
        'vm_app_start_timestamp 1796408264',
        'vmagent_remotewrite_errors_total{url="2:secret-url"} 7',
        'vmagent_remotewrite_packets_dropped_total{url="2:secret-url"} 3',
        'vmagent_remotewrite_pending_data_bytes{path="/d/vmagent/persistent-queue/2_987D46EFF2B9FDAB", url="2:secret-url"} 12456',
        'vm_persistentqueue_bytes_dropped_total{path="/d/vmagent/persistent-queue/2_987D46EFF2B9FDAB"} 99',
        'vmagent_remotewrite_requests_total{url="2:secret-url", status_code="2XX"} 30',
        'vmagent_remotewrite_requests_total{url="2:secret-url", status_code="401"} 4',
        'vmagent_remotewrite_requests_total{url="1:secret-url", status_code="2XX"} 31',
      ].join('\n'),
    );
    assert.equal(s.startedAt, 1796408264);
    const u = s.urls.get(2);
    assert.ok(u);
    assert.equal(u.errors, 7);
    assert.equal(u.packetsDropped, 3);
    assert.equal(u.pendingBytes, 12456);
    assert.equal(u.queueBytesDropped, 99);
    assert.equal(u.ok, 30);
    assert.equal(u.requests.get('401'), 4);
    assert.equal(u.failedRequests, 4);
    assert.equal(s.urls.get(1)?.ok, 31);
  });
});
