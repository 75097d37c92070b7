/**
 * Issue 8: random bytes into every sysfs/procfs parser. They never throw anything but their
 * typed error, and never hand back NaN, Infinity or an implausible value as a reading.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseLoadavg, parseMeminfo, parseMountinfo, parseNetDev, parseStat } from '../../src/host/procfs.js';
import { parseSmapsRollup } from '../../src/host/smaps.js';
import { fromKernelUnits } from '../../src/sensor/sources/sysfs-sensor.js';
import { parseAttributeInteger, parseAttributeNumber } from '../../src/sensor/sysfs.js';
import { checkPlausible, plausibleRange, type Quantity, SensorValueError } from '../../src/sensor/types.js';

/** Random bytes, and text built from the pieces these files are made of (so parsers get past their first check). */
const input = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('utf8')),
  fc
    .array(
      fc.constantFrom(
        '0',
        '1',
        '7',
        '9',
        '99999999999999999999',
        '-',
        '.',
        'e',
        'x',
        ' ',
        '\t',
        '\n',
        ':',
        'kB',
        'cpu',
        'cpu0 ',
        'btime ',
        'MemTotal:',
        'MemAvailable:',
        'Rss:',
        'Pss:',
        'Anonymous:',
        ' - ',
        'eth0:',
        'NaN',
        'Infinity',
        '\0',
        '\\040',
        '/',
      ),
      { maxLength: 80 },
    )
    .map((parts) => parts.join('')),
);

const runs = { numRuns: 2000 };

/** Every number anywhere in `value` is finite. */
function allFinite(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (value === null || typeof value !== 'object') return true;
  return Object.values(value).every(allFinite);
}

describe('parser fuzzing (fast-check)', () => {
  it('sysfs attribute parsers: a finite number or SensorValueError', () => {
    fc.assert(
      fc.property(input, (text) => {
        for (const parse of [parseAttributeInteger, parseAttributeNumber]) {
          try {
            assert.ok(Number.isFinite(parse('/sys/x', text.trim())));
          } catch (err) {
            assert.ok(err instanceof SensorValueError, String(err));
          }
        }
      }),
      runs,
    );
  });

  it('a sensor value is within its quantity range or a SensorValueError', () => {
    const quantities = Object.keys(plausibleRange) as Quantity[];
    fc.assert(
      fc.property(input, fc.constantFrom(...quantities), (text, quantity) => {
        try {
          const value = checkPlausible(
            '/sys/x',
            quantity,
            fromKernelUnits[quantity](parseAttributeNumber('/sys/x', text.trim())),
          );
          const [min, max] = plausibleRange[quantity];
          assert.ok(value >= min && value <= max, `${quantity} ${value}`);
        } catch (err) {
          assert.ok(err instanceof SensorValueError, String(err));
        }
      }),
      runs,
    );
  });

  it('procfs parsers never throw and return only finite numbers', () => {
    fc.assert(
      fc.property(input, (text) => {
        for (const parse of [parseStat, parseMeminfo, parseLoadavg, parseNetDev, parseMountinfo]) {
          assert.ok(allFinite(parse(text)), `${parse.name}(${JSON.stringify(text)})`);
        }
      }),
      runs,
    );
  });

  it('smaps_rollup parser: finite sizes or its error', () => {
    fc.assert(
      fc.property(input, (text) => {
        try {
          assert.ok(allFinite(parseSmapsRollup(text)), JSON.stringify(text));
        } catch (err) {
          assert.ok(err instanceof Error && err.message.startsWith('smaps_rollup'), String(err));
        }
      }),
      runs,
    );
  });
});
