/** Gaps in a range query's answer become null points, so uPlot draws them as gaps. Pure. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { drawnGaps, GAP_FACTOR, gapThreshold, withGaps } from '../../dashboard/src/gaps.js';

const steps = (from: number, to: number, step: number) => {
  const out: number[] = [];
  for (let t = from; t <= to; t += step) out.push(t);
  return out;
};

describe('dashboard gaps', () => {
  it('leaves continuous data alone', () => {
    const xs = steps(0, 300, 15);
    const values = xs.map((x) => x / 15);
    const out = withGaps(xs, [values], 15);
    assert.deepEqual(out.xs, xs);
    assert.deepEqual(out.columns[0], values);
  });

  it('a 3-minute outage in 15 s steps becomes one null point after the last sample before it', () => {
    const xs = [...steps(0, 150, 15), ...steps(330, 450, 15)];
    const out = withGaps(xs, [xs.map(() => 1), xs.map(() => 2)], 15);
    assert.equal(out.xs.length, xs.length + 1);
    const i = out.xs.indexOf(165);
    assert.ok(i > 0, 'null point at 150 + step');
    assert.equal(out.columns[0]?.[i], null);
    assert.equal(out.columns[1]?.[i], null);
    assert.equal(out.xs[i + 1], 330);
    assert.equal(out.columns[0]?.filter((v) => v === null).length, 1);
  });

  it('one missed step is not a gap; more than three spacings is', () => {
    assert.equal(gapThreshold(steps(0, 300, 15), 15), GAP_FACTOR * 15);
    const missedOne = [0, 15, 30, 60, 75, 90];
    assert.equal(withGaps(missedOne, [missedOne], 15).xs.length, missedOne.length);
    const missedFour = [0, 15, 30, 105, 120, 135];
    assert.equal(withGaps(missedFour, [missedFour], 15).xs.length, missedFour.length + 1);
  });

  it('samples sparser than the step (a 60 s job at a 15 s step) set the spacing, not the step', () => {
    const xs = steps(0, 1200, 60);
    assert.equal(gapThreshold(xs, 15), GAP_FACTOR * 60);
    assert.equal(withGaps(xs, [xs], 15).xs.length, xs.length);
  });

  it('keeps nulls a series already had', () => {
    const out = withGaps([0, 15, 30], [[1, null, 3]], 15);
    assert.deepEqual(out.columns[0], [1, null, 3]);
  });

  it('counts a gap of the data only where every series is null between drawn points', () => {
    // One series missing where another draws (one sensor failing) is not a gap of the data.
    assert.equal(
      drawnGaps([
        [1, null, 3],
        [null, 2, null],
      ]),
      0,
    );
    assert.equal(
      drawnGaps([
        [1, null, null, 4, null, 6],
        [1, null, null, 4, null, 6],
      ]),
      2,
    );
    // Leading and trailing nulls (the window's ends, threshold-line padding) are not gaps.
    assert.equal(drawnGaps([[null, 1, 2, null]]), 0);
    assert.equal(drawnGaps([]), 0);
  });
});
