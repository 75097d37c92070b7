/**
 * SIGKILL gives edgewatch no chance to stop its children; the kernel must (setpriv --pdeathsig),
 * with SIGTERM, so VictoriaMetrics shuts down cleanly and keeps its newest samples.
 *
 * Without the wrapper the children do not die of edgewatch's death but of their next log line
 * (SIGPIPE on the closed pipe), which may come much later and is no clean shutdown: VictoriaMetrics
 * then writes no caches on the way out, and this test fails on that.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { processGone, type StackUnderTest, startStack } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait.js';

describe('edgewatch up killed with SIGKILL', { timeout: 60_000 }, () => {
  let s: StackUnderTest | undefined;

  after(async () => {
    await s?.cleanup();
  });

  it('leaves no component running: each got SIGTERM from the kernel', async () => {
    // Slow scrapes: a scrape of the dead edgewatch in the milliseconds before VictoriaMetrics
    // handles SIGTERM would log an error, and that log line alone kills it (SIGPIPE).
    s = await startStack(['--vm.scrape-interval=10s', '--alerting.evaluation-interval=10s']);
    const pids = await s.childPids();
    assert.equal(pids.length, 2);
    assert.ok(!s.proc.lines.some((l) => l.msg.startsWith('setpriv not found')));

    s.proc.child.kill('SIGKILL');
    await s.proc.exited;
    await waitFor(`components ${pids.join(', ')} to exit`, () => pids.every(processGone), 3000);
    // VictoriaMetrics saves its caches only on a graceful stop: it got SIGTERM, it did not crash.
    assert.ok(
      existsSync(join(s.dir, 'victoria-metrics', 'cache', 'rollupResult')),
      'VictoriaMetrics stopped cleanly',
    );
  });
});
