/** The dashboard's URL state and time window, without a browser: both are pure functions. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  chooseStep,
  defaultState,
  formatState,
  MAX_POINTS,
  parseState,
  timeWindow,
} from '../../dashboard/src/state.js';

describe('dashboard URL state', () => {
  it('round-trips every field through the hash', () => {
    const state = {
      ...defaultState,
      view: 'charts' as const,
      range: 'custom' as const,
      from: 1000,
      to: 5000,
    };
    Object.assign(state, { refresh: 'off', paused: true, sensor: 'iio/iio:device0' });
    assert.equal(
      formatState(state),
      '#/charts?range=custom&from=1000&to=5000&refresh=off&paused=1&sensor=iio%2Fiio%3Adevice0',
    );
    assert.deepEqual(parseState(formatState(state)), state);
  });

  it('leaves defaults out of the hash and reads an empty hash as the defaults', () => {
    assert.equal(formatState(defaultState), '#/now');
    assert.deepEqual(parseState(''), defaultState);
  });

  it('falls back to the defaults for unknown views, ranges, refreshes and a bad custom range', () => {
    assert.deepEqual(parseState('#/nope?range=2y&refresh=1s'), defaultState);
    assert.equal(parseState('#/charts?range=custom&from=5000&to=1000').range, defaultState.range);
    assert.equal(parseState('#/charts?range=custom&from=x&to=1000').range, defaultState.range);
  });
});

describe('dashboard time window', () => {
  it('chooses the finest step that keeps a chart within MAX_POINTS, never below 15 s', () => {
    assert.equal(chooseStep(60), 15);
    assert.equal(chooseStep(3600), 15);
    assert.equal(chooseStep(15 * MAX_POINTS), 15, 'exactly MAX_POINTS points still fit');
    assert.equal(chooseStep(21_600), 60);
    assert.equal(chooseStep(604_800), 1800);
    assert.equal(chooseStep(1e9), Math.ceil(1e9 / MAX_POINTS));
  });

  it('ends a relative range at now and keeps a custom range as given', () => {
    assert.deepEqual(timeWindow({ ...defaultState, range: '15m' }, 1_000_000_000), {
      start: 999_100,
      end: 1_000_000,
      step: 15,
    });
    const custom = { ...defaultState, range: 'custom' as const, from: 10_000, to: 3_610_000 };
    assert.deepEqual(timeWindow(custom, 1e12), { start: 10, end: 3610, step: 15 });
  });
});
