/** Flap detection alone, on a clock passed in. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FLAP_CHANGES, FlapDetector } from '../../src/sensor/flap-detector.js';

describe('flap detector', () => {
  it('logs changes until more than FLAP_CHANGES fall in the window, then reports flapping once', () => {
    const flaps = new FlapDetector(1000);
    const verdicts = Array.from({ length: FLAP_CHANGES + 4 }, (_, i) => flaps.onChange(i * 100));
    assert.deepEqual(verdicts, ['log', 'log', 'log', 'log', 'started-flapping', 'quiet', 'quiet', 'quiet']);
    assert.equal(flaps.flapping, true);
  });

  it('settles once a whole window passes without a change, and logs changes again', () => {
    const flaps = new FlapDetector(1000);
    for (let i = 0; i <= FLAP_CHANGES; i++) flaps.onChange(i * 10);
    assert.equal(flaps.settled(FLAP_CHANGES * 10 + 999), false, 'not a whole window yet');
    assert.equal(flaps.settled(FLAP_CHANGES * 10 + 1000), true);
    assert.equal(flaps.settled(FLAP_CHANGES * 10 + 2000), false, 'reported once');
    assert.equal(flaps.onChange(5000), 'log');
  });

  it('never calls slow changes flapping', () => {
    const flaps = new FlapDetector(1000);
    for (let i = 0; i < 50; i++) assert.equal(flaps.onChange(i * 300), 'log');
  });
});
