/**
 * storage.flush-interval: passed as -inmemoryDataFlushInterval only to a VictoriaMetrics whose
 * -help lists it (1.85+; a fake binary stands in for 1.112 here), never to the installed 1.79,
 * which would refuse to start; set explicitly against 1.79 it warns; out of range it exits 2.
 */
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { planBudget } from '../../src/budget/plan.js';
import { binaryFlags, parseHelpFlags } from '../../src/stack/binary-flags.js';
import { victoriaMetricsComponent } from '../../src/stack/victoria-metrics.js';
import { runEdgewatch } from '../helpers/edgewatch.js';
import { type StackUnderTest, startStack } from '../helpers/stack.js';

const settings = (flags: ReadonlySet<string>) => ({
  minFreeDiskSpaceBytes: 64 * 1024 ** 2,
  binary: 'victoria-metrics',
  listenAddress: '127.0.0.1:8428',
  dataPath: '/data',
  retentionMs: 30 * 86_400_000,
  scrapeConfigFile: '/data/config/scrape.yml',
  plan: planBudget(300 * 1024 ** 2).victoriaMetrics,
  flushIntervalMs: 60_000,
  binaryFlags: flags,
});

describe('storage.flush-interval', { timeout: 60_000 }, () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'edgewatch-flush-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads flag names from Go -help output', () => {
    const help =
      '  -httpListenAddr string\n    \tTCP address (default ":8428")\n  -inmemoryDataFlushInterval duration\n    \tThe interval\n';
    assert.deepEqual([...parseHelpFlags(help)], ['httpListenAddr', 'inmemoryDataFlushInterval']);
  });

  it('passes -inmemoryDataFlushInterval to a binary that lists it', async () => {
    const fake = join(dir, 'victoria-metrics-1.112');
    await writeFile(
      fake,
      '#!/bin/sh\nprintf "  -inmemoryDataFlushInterval duration\\n    \\tBigger intervals...\\n"\n',
    );
    await chmod(fake, 0o755);
    const flags = binaryFlags(fake);
    assert.ok(flags.has('inmemoryDataFlushInterval'));
    assert.ok(victoriaMetricsComponent(settings(flags)).args.includes('-inmemoryDataFlushInterval=60000ms'));
  });

  it('does not pass it to the installed VictoriaMetrics 1.79, and runs its children with GOMAXPROCS=1', () => {
    const flags = binaryFlags('victoria-metrics');
    assert.ok(flags.has('storageDataPath'), 'victoria-metrics -help was read');
    assert.ok(!flags.has('inmemoryDataFlushInterval'), 'the installed release is 1.79 (Debian 12)');
    const spec = victoriaMetricsComponent(settings(flags));
    assert.ok(!spec.args.some((a) => a.startsWith('-inmemoryDataFlushInterval')));
    assert.equal(spec.env.GOMAXPROCS, '1');
  });

  it('exits 2 naming the option below 1s', async () => {
    const r = await runEdgewatch(['up', '--storage.flush-interval=500ms', `--storage.path=${dir}`]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /storage\.flush-interval/);
  });

  describe('set against VictoriaMetrics 1.79', () => {
    let s: StackUnderTest;
    before(async () => {
      s = await startStack(['--storage.flush-interval=5s']);
    });
    after(async () => {
      await s?.cleanup();
    });

    it('warns that it has no effect, and the stack runs', () => {
      const warning = s.proc.lines.find(
        (l) => l.level === 'warn' && /storage\.flush-interval has no effect/.test(l.msg),
      );
      assert.ok(warning, s.proc.stderrText.join('\n'));
    });
  });
});
