import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseSmapsRollup, readProcessMemory } from '../../src/host/smaps.js';
import { repoRoot } from '../helpers/edgewatch.js';

describe('smaps_rollup', () => {
  it('parses a fixture from VictoriaMetrics (Linux 6.x, with Pss_File)', () => {
    const text = readFileSync(`${repoRoot}test/fixtures/smaps_rollup.txt`, 'utf8');
    assert.deepEqual(parseSmapsRollup(text), {
      rss: 26264 * 1024,
      pss: 25343 * 1024,
      anon: 13692 * 1024,
      file: 11651 * 1024,
    });
  });

  it('derives file-backed memory from RSS where the kernel has no Pss_File (before 5.10)', () => {
    const text = 'Rss:  1000 kB\nPss:  800 kB\nShared_Clean:  300 kB\nAnonymous:  600 kB\nSwap:  0 kB\n';
    assert.deepEqual(parseSmapsRollup(text), {
      rss: 1000 * 1024,
      pss: 800 * 1024,
      anon: 600 * 1024,
      file: 400 * 1024,
    });
  });

  it('rejects text without Rss and Pss', () => {
    assert.throws(() => parseSmapsRollup('Anonymous: 5 kB\n'), /no Rss or Pss/);
  });

  it('reads this process, and undefined for a process that does not exist', async () => {
    const self = await readProcessMemory(process.pid);
    assert.ok(self && self.rss > 10 * 1024 ** 2 && self.pss > 0 && self.anon > 0);
    assert.equal(await readProcessMemory(2 ** 22 + 1), undefined);
  });
});
