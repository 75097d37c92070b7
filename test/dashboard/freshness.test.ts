/** When a view's data stops being current, and what the page says then. Pure, clock passed in. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failureReason, freshness, GRACE_MS } from '../../dashboard/src/freshness.js';

const base = { sinceMs: 0, intervalMs: 15_000, reason: undefined };

describe('dashboard freshness', () => {
  it('fresh within one interval plus the grace, stale past it, with the age and the reason', () => {
    const at = (nowMs: number, reason?: string) => freshness({ ...base, lastOkMs: 100_000, nowMs, reason });
    assert.equal(at(100_000 + 15_000 + GRACE_MS).stale, false);
    const late = at(100_000 + 15_000 + GRACE_MS + 1, failureReason('deadline'));
    assert.equal(late.stale, true);
    assert.match(late.text, /^Not current: data from 2\d s ago: edgewatch not answering/);
    assert.match(at(100_000 + 60_000).text, /data from 1 min ago$/, 'no reason known: none given');
  });

  it('a failed refresh alone is not stale until the data is old: the values are still the last minute', () => {
    const f = freshness({ ...base, lastOkMs: 100_000, nowMs: 101_000, reason: 'edgewatch unreachable' });
    assert.equal(f.stale, false);
  });

  it('a refresh that failed more than one interval after the data is stale at once, without the grace', () => {
    const f = freshness({
      ...base,
      lastOkMs: 100_000,
      nowMs: 100_000 + 15_001,
      reason: 'edgewatch unreachable',
    });
    assert.equal(f.stale, true);
    assert.equal(freshness({ ...base, lastOkMs: 100_000, nowMs: 100_000 + 15_001 }).stale, false);
  });

  it('no data yet: stale once the first refresh failed or the deadline passed', () => {
    assert.equal(freshness({ ...base, lastOkMs: undefined, nowMs: 1000 }).stale, false);
    const failed = freshness({
      ...base,
      lastOkMs: undefined,
      nowMs: 1000,
      reason: 'this browser is offline',
    });
    assert.deepEqual([failed.stale, failed.text], [true, 'No data yet: this browser is offline']);
    assert.equal(freshness({ ...base, lastOkMs: undefined, nowMs: 10_000 }).stale, true);
  });

  it('auto-refresh off: never stale by age alone, stale once a manual refresh failed', () => {
    const off = { ...base, intervalMs: 0, lastOkMs: 0 };
    assert.equal(freshness({ ...off, nowMs: 3_600_000 }).stale, false);
    assert.equal(freshness({ ...off, nowMs: 3_600_000, reason: 'x' }).stale, true);
  });
});
