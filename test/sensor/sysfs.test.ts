import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { listEntries, readAttribute, readNumber } from '../../src/sensor/sysfs.js';
import { SensorValueError } from '../../src/sensor/types.js';

describe('sysfs helpers', () => {
  const root = mkdtempSync(join(tmpdir(), 'ew-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const file = (name: string, content: string) => {
    writeFileSync(join(root, name), content);
    return join(root, name);
  };

  it('reads an attribute as trimmed text and as a number', async () => {
    assert.equal(await readAttribute(file('name', 'bme280\n')), 'bme280');
    assert.equal(await readNumber(file('temp', '  -1250\n')), -1250);
    assert.equal(await readNumber(file('scale', '0.001000000\n')), 0.001);
  });

  it('rejects garbage, blanks and non-finite numbers with SensorValueError', async () => {
    for (const [name, content] of [
      ['abc', 'abc\n'],
      ['empty', ''],
      ['blank', ' \n'],
      ['nan', 'nan\n'],
      ['inf', 'Infinity\n'],
      ['half', '12abc\n'],
    ] as const) {
      await assert.rejects(readNumber(file(name, content)), SensorValueError, name);
    }
  });

  it('rejects a missing attribute with ENOENT', async () => {
    await assert.rejects(readNumber(join(root, 'gone')), { code: 'ENOENT' });
  });

  it('rejects with AbortError without reading when the signal is already aborted', async () => {
    await assert.rejects(readNumber(file('ok', '1\n'), AbortSignal.abort()), { name: 'AbortError' });
  });

  it('lists matching entries in natural order, and nothing for a missing class directory', async () => {
    const dir = join(root, 'class');
    for (const name of ['hwmon10', 'hwmon2', 'hwmon0', 'other'])
      mkdirSync(join(dir, name), { recursive: true });
    assert.deepEqual(await listEntries(dir, /^hwmon\d+$/), ['hwmon0', 'hwmon2', 'hwmon10']);
    assert.deepEqual(await listEntries(join(root, 'no-such-class'), /./), []);
  });
});
