/** The child runner with real node children: exit descriptions, SIGTERM then SIGKILL. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeExit, spawnChild, stopChild } from '../../src/process/child-runner.js';

describe('child runner', { timeout: 10_000 }, () => {
  it('describes an exit code', async () => {
    const run = spawnChild(process.execPath, ['-e', 'process.exit(1)'], { stdio: 'ignore' });
    assert.equal(describeExit(await run.exited), 'exit code 1');
    assert.equal(describeExit(run.exit), 'exit code 1');
  });

  it('stops a child that exits on SIGTERM without SIGKILL', async () => {
    const run = spawnChild(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    let killed = false;
    await stopChild(run, 10_000, {
      onKill: () => {
        killed = true;
      },
    });
    assert.equal(describeExit(run.exit), 'killed by SIGTERM');
    assert.equal(killed, false);
  });

  it('kills a child that ignores SIGTERM after the grace period', async () => {
    const run = spawnChild(
      process.execPath,
      ['-e', "process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000)"],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    // Wait until the SIGTERM handler is installed.
    await new Promise((resolve) => run.child.stdout?.once('data', resolve));
    run.child.stdout?.resume();
    let killed = false;
    await stopChild(run, 200, {
      onKill: () => {
        killed = true;
      },
    });
    assert.equal(killed, true);
    assert.equal(describeExit(run.exit), 'killed by SIGKILL');
  });

  it('describes a spawn failure', async () => {
    const run = spawnChild('/nonexistent/edgewatch-binary', [], { stdio: 'ignore' });
    assert.match(describeExit(await run.exited), /^could not be spawned: /);
  });
});
