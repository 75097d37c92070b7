/**
 * The supervisor with stand-in components (small node servers answering /health): restarts with
 * backoff, crash-loop reporting, SIGKILL after the stop grace.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../src/log/logger.js';
import type { ComponentSpec } from '../../src/stack/component-types.js';
import { nodeTimers, type TimerHandle, type Timers } from '../../src/stack/component-types.js';
import type { SupervisedComponent } from '../../src/stack/supervised-component.js';
import { Supervisor } from '../../src/stack/supervisor.js';
import type { LogLine } from '../helpers/edgewatch.js';
import { freePort } from '../helpers/net.js';
import { processGone } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait.js';

/** Fast backoff so the test takes seconds, not the 17 s the default 0.5 s doubling needs. */
const restart = { backoffInitialMs: 20, backoffMaxMs: 10_000, backoffResetMs: 60_000, crashLoopRestarts: 5 };

/**
 * Serves /health; `crash` exits 100 ms after listening, `ignore-term` survives SIGTERM,
 * `broken` exits at once without listening (a bad rule file).
 */
const fakeComponent = `
import { createServer } from 'node:http';
const [port, mode] = process.argv.slice(2);
if (mode === 'ignore-term') process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
if (mode === 'broken') {
  console.log('cannot parse rules');
  process.exit(3);
}
createServer((_req, res) => res.end('OK')).listen(Number(port), '127.0.0.1', () => {
  console.log(JSON.stringify({ level: 'info', msg: 'listening' }));
  if (mode === 'crash') {
    setTimeout(() => {
      console.log(JSON.stringify({ level: 'error', msg: 'simulated crash' }));
      process.exit(1);
    }, 100);
  }
});
`;

/** Node's timers, with the set of those still pending: a cancelled restart leaves none behind. */
function recordingTimers(): Timers & { pending: Set<TimerHandle> } {
  const pending = new Set<TimerHandle>();
  return {
    pending,
    set(callback, ms) {
      const handle: TimerHandle = nodeTimers.set(() => {
        pending.delete(handle);
        callback();
      }, ms);
      pending.add(handle);
      return handle;
    },
    clear(handle) {
      if (handle !== undefined) pending.delete(handle);
      nodeTimers.clear(handle);
    },
  };
}

describe('supervisor', { timeout: 60_000 }, () => {
  let dir: string;
  let script: string;
  const lines: LogLine[] = [];
  const log = createLogger({ level: 'debug', write: (line) => lines.push(JSON.parse(line) as LogLine) });
  const started: SupervisedComponent[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'edgewatch-supervisor-'));
    script = join(dir, 'fake-component.mjs');
    await writeFile(script, fakeComponent);
  });

  after(async () => {
    for (const component of started) await component.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function spec(name: string, mode: string): Promise<ComponentSpec> {
    const port = await freePort();
    return {
      name,
      binary: process.execPath,
      args: [script, String(port), mode],
      env: {},
      listenAddress: `127.0.0.1:${port}`,
      healthUrl: `http://127.0.0.1:${port}/health`,
    };
  }

  it('restarts a crashing component with doubling backoff and reports the crash loop', async () => {
    const timers = recordingTimers();
    const supervisor = new Supervisor(log, { startTimeoutMs: 5000, restart, timers });
    const component = await supervisor.start(await spec('crasher', 'crash'));
    started.push(component);
    await waitFor(
      'the crash-loop error',
      () => lines.find((l) => l.msg === 'component is crash-looping' && l.component === 'crasher'),
      30_000,
      100,
    );
    const [status] = supervisor.statuses();
    assert.equal(status?.crashLooping, true);
    assert.equal(status?.restarts, 5);
    const delays = lines.filter((l) => l.msg === 'restarting component').map((l) => l.in_ms);
    assert.deepEqual(delays.slice(0, 5), [20, 40, 80, 160, 320]);
    const exited = lines.filter((l) => l.msg === 'component exited' && l.component === 'crasher');
    assert.ok(exited.length >= 5);
    assert.deepEqual((exited[0]?.output as string[] | undefined)?.slice(-1), [
      '{"level":"error","msg":"simulated crash"}',
    ]);
    assert.ok(
      lines.some((l) => l.level === 'error' && l.msg === 'simulated crash' && l.component === 'crasher'),
    );

    // Stopping during the next backoff cancels the restart: no timer is left that could run it.
    await waitFor('the sixth crash', () => supervisor.statuses()[0]?.pid === undefined, 10_000, 20);
    assert.equal(timers.pending.size, 1, 'the restart is pending');
    const restartsBefore = lines.filter((l) => l.msg === 'restarting component').length;
    await component.stop();
    assert.equal(supervisor.statuses()[0]?.health, 'stopped');
    assert.equal(supervisor.statuses()[0]?.pid, undefined);
    assert.equal(timers.pending.size, 0, 'a restart is still scheduled after stop');
    assert.equal(lines.filter((l) => l.msg === 'restarting component').length, restartsBefore);
    assert.equal(lines.filter((l) => l.msg === 'component healthy' && l.component === 'crasher').length, 6);
  });

  it('reports a component that fails at its first start and retries it; the crash loop stays flagged while it fails', async () => {
    const now = { ms: 1_000_000 };
    const supervisor = new Supervisor(log, {
      startTimeoutMs: 5000,
      restart: { ...restart, backoffMaxMs: 40 },
      now: () => now.ms,
    });
    const component = await supervisor.start(await spec('broken', 'broken'));
    started.push(component);
    const failed = lines.find((l) => l.msg === 'component failed to start' && l.component === 'broken');
    assert.match(failed?.reason as string, /exited before becoming healthy \(exit code 3\)/);
    assert.deepEqual(failed?.output, ['cannot parse rules']);
    await waitFor('10 retries', () => (supervisor.statuses()[0]?.restarts ?? 0) >= 10, 10_000, 10);
    const status = supervisor.statuses()[0];
    assert.notEqual(status?.health, 'healthy');
    assert.equal(status?.crashLooping, true);
    assert.equal(status?.lastExit?.reason, 'exit code 3');
    assert.equal(status?.lastExit?.at, now.ms, 'exit times come from the injected clock');
    // Each report carries only its own run's output, not every earlier run's.
    const exited = lines.filter((l) => l.msg === 'component exited' && l.component === 'broken');
    assert.deepEqual(exited.at(-1)?.output, ['cannot parse rules']);
    await component.stop();
    assert.equal(supervisor.statuses()[0]?.health, 'stopped');
  });

  it('lists every added component as starting, before its start and while earlier ones start', async () => {
    const supervisor = new Supervisor(log, { startTimeoutMs: 5000 });
    const first = await spec('first', 'serve');
    const second = await spec('second', 'serve');
    supervisor.add(first);
    supervisor.add(second);
    const health = () => supervisor.statuses().map((s) => [s.name, s.health, s.pid === undefined]);
    assert.deepEqual(health(), [
      ['first', 'starting', true],
      ['second', 'starting', true],
    ]);
    started.push(await supervisor.start(first));
    assert.deepEqual(health(), [
      ['first', 'healthy', false],
      ['second', 'starting', true],
    ]);
    started.push(await supervisor.start(second));
    assert.deepEqual(
      health(),
      [
        ['first', 'healthy', false],
        ['second', 'healthy', false],
      ],
      'start() takes the added component: it is not listed twice',
    );
  });

  it('kills a component that ignores SIGTERM after the grace period', async () => {
    const supervisor = new Supervisor(log, { startTimeoutMs: 5000, stopGraceMs: 300 });
    const component = await supervisor.start(await spec('stubborn', 'ignore-term'));
    started.push(component);
    const pid = supervisor.statuses()[0]?.pid;
    assert.ok(pid);
    const began = performance.now();
    await component.stop();
    const ms = performance.now() - began;
    assert.ok(ms >= 300 && ms < 3000, `stopped after ${ms} ms`);
    assert.ok(processGone(pid));
    assert.ok(
      lines.some((l) => l.msg === 'component ignored SIGTERM, killing it' && l.component === 'stubborn'),
    );
    assert.ok(component.output.last(5).includes('ignoring SIGTERM'));
  });
});
