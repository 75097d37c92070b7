import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatBytes, formatDuration, parseBytes, parseDuration } from '../../src/config/units.js';

describe('durations', () => {
  it('parses units, compounds and bare seconds', () => {
    assert.equal(parseDuration('250ms'), 250);
    assert.equal(parseDuration('5s'), 5000);
    assert.equal(parseDuration('1m30s'), 90_000);
    assert.equal(parseDuration('30d'), 30 * 86_400_000);
    assert.equal(parseDuration('2'), 2000);
    assert.equal(parseDuration(1.5), 1500);
  });
  it('rejects garbage', () => {
    for (const bad of ['', 'abc', '5x', 's5', '5s junk', '-1s', null, {}])
      assert.equal(parseDuration(bad), undefined, String(bad));
  });
  it('formats round values in the largest unit', () => {
    assert.equal(formatDuration(15_000), '15s');
    assert.equal(formatDuration(90_000), '90s');
    assert.equal(formatDuration(2_592_000_000), '30d');
    assert.equal(formatDuration(1500), '1500ms');
  });
});

describe('sizes', () => {
  it('reads K/M/G as powers of 1024 and KB/MB/GB as powers of 1000', () => {
    assert.equal(parseBytes('32MiB'), 32 * 1024 ** 2);
    assert.equal(parseBytes('300M'), 300 * 1024 ** 2);
    assert.equal(parseBytes('500MB'), 500e6);
    assert.equal(parseBytes('1GiB'), 1024 ** 3);
    assert.equal(parseBytes('4096'), 4096);
  });
  it('rejects garbage', () => {
    for (const bad of ['', 'MiB', '12XB', '-5M', 'five']) assert.equal(parseBytes(bad), undefined, bad);
  });
  it('formats', () => {
    assert.equal(formatBytes(300 * 1024 ** 2), '300MiB');
    assert.equal(formatBytes(8192), '8KiB');
    assert.equal(formatBytes(1000), '1000B');
  });
});
