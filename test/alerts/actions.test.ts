import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ActionResult, ActionRunner } from '../../src/alerts/actions.js';
import type { AlertChange } from '../../src/alerts/alert-store.js';
import { createLogger, type LogFields } from '../../src/log/logger.js';

const dir = mkdtempSync(join(tmpdir(), 'edgewatch-actions-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const change: AlertChange = {
  time: Date.parse('2024-05-01T10:00:05Z'),
  fingerprint: '0123456789abcdef',
  name: 'HighTemperature',
  severity: 'critical',
  state: 'firing',
  labels: { alertname: 'HighTemperature', severity: 'critical', sensor: "cpu 'zone' 0" },
  annotations: { summary: 'CPU at 85 °C', description: 'line one\nline two' },
  startsAt: Date.parse('2024-05-01T10:00:00Z'),
};

function recorder() {
  const lines: LogFields[] = [];
  const results: ActionResult[] = [];
  const log = createLogger({ level: 'debug', write: (line) => lines.push(JSON.parse(line) as LogFields) });
  return { lines, results, log, onResult: (r: ActionResult) => results.push(r) };
}

test('the command runs through /bin/sh with the alert in its environment', async () => {
  const out = join(dir, 'env.bin');
  const rec = recorder();
  const runner = new ActionRunner({
    // A pipeline, to show /bin/sh -c does the parsing; NUL-separated because values may hold newlines.
    command: `printf '%s\\0' "$EDGEWATCH_ALERT_NAME" "$EDGEWATCH_ALERT_STATE" "$EDGEWATCH_ALERT_SEVERITY" "$EDGEWATCH_ALERT_SUMMARY" "$EDGEWATCH_ALERT_LABELS" "$EDGEWATCH_ALERT_JSON" | cat > '${out}'`,
    timeoutMs: 5000,
    ...rec,
  });
  assert.equal(runner.enqueue(change), true);
  await runner.idle();
  const [name, state, severity, summary, labels, json] = readFileSync(out, 'utf8').split('\0');
  assert.deepEqual(
    [name, state, severity, summary],
    ['HighTemperature', 'firing', 'critical', 'CPU at 85 °C'],
  );
  assert.deepEqual(JSON.parse(labels as string), change.labels);
  assert.deepEqual(JSON.parse(json as string), {
    time: '2024-05-01T10:00:05.000Z',
    fingerprint: '0123456789abcdef',
    name: 'HighTemperature',
    severity: 'critical',
    state: 'firing',
    labels: change.labels,
    annotations: change.annotations,
    startsAt: '2024-05-01T10:00:00.000Z',
  });
  assert.deepEqual(rec.results, ['ok']);
  assert.equal(rec.lines[0]?.msg, 'alert action finished');
});

test('exit status and the tail of stderr are logged on failure', async () => {
  const rec = recorder();
  const runner = new ActionRunner({ command: 'echo "modem not found" >&2; exit 3', timeoutMs: 5000, ...rec });
  runner.enqueue(change);
  await runner.idle();
  assert.deepEqual(rec.results, ['failed']);
  assert.equal(rec.lines[0]?.level, 'warn');
  assert.equal(rec.lines[0]?.exitCode, 3);
  assert.equal(rec.lines[0]?.stderr, 'modem not found');
});

test('the timeout kills the whole process group, background children included', async () => {
  const pidFile = join(dir, 'sleep.pid');
  const rec = recorder();
  const runner = new ActionRunner({
    // Without job control the background sleep stays in the shell's process group; signalling
    // only the shell (what execFile's timeout does) would leave it running for 30 s.
    command: `sleep 30 & echo $! > '${pidFile}'; wait`,
    timeoutMs: 300,
    ...rec,
  });
  const began = performance.now();
  runner.enqueue(change);
  await runner.idle();
  assert.ok(performance.now() - began < 5000, 'finished long before sleep 30 would');
  assert.deepEqual(rec.results, ['timeout']);
  const pid = Number(readFileSync(pidFile, 'utf8'));
  assert.ok(await gone(pid), `sleep (pid ${pid}) was killed`);
});

test('a command that exits leaving a background process is done at the timeout, not killed', async () => {
  const pidFile = join(dir, 'siren.pid');
  const rec = recorder();
  const runner = new ActionRunner({ command: `sleep 30 & echo $! > '${pidFile}'`, timeoutMs: 300, ...rec });
  runner.enqueue(change);
  await runner.idle();
  assert.deepEqual(rec.results, ['ok']);
  const pid = Number(readFileSync(pidFile, 'utf8'));
  assert.equal(await gone(pid, 100), false, 'the background sleep still runs');
  process.kill(pid, 'SIGKILL');
});

test('at most `concurrency` run; the queue is bounded and overflow is dropped and counted', async () => {
  const rec = recorder();
  let drops = 0;
  const out = join(dir, 'order.txt');
  const runner = new ActionRunner({
    command: `sleep 0.2; echo "$EDGEWATCH_ALERT_NAME" >> '${out}'`,
    timeoutMs: 5000,
    concurrency: 1,
    queueSize: 1,
    onDrop: () => drops++,
    ...rec,
  });
  assert.equal(runner.enqueue({ ...change, name: 'first' }), true);
  assert.equal(runner.enqueue({ ...change, name: 'queued' }), true);
  assert.equal(runner.enqueue({ ...change, name: 'dropped' }), false);
  assert.equal(drops, 1);
  await runner.idle();
  assert.deepEqual(readFileSync(out, 'utf8').trim().split('\n'), ['first', 'queued']);
  assert.deepEqual(rec.results, ['ok', 'ok']);
});

test('stop() kills running commands and drops queued ones', async () => {
  const rec = recorder();
  const runner = new ActionRunner({ command: 'sleep 30', timeoutMs: 60_000, concurrency: 1, ...rec });
  runner.enqueue(change);
  runner.enqueue(change);
  const began = performance.now();
  await runner.stop();
  assert.ok(performance.now() - began < 5000);
  assert.deepEqual(rec.results, ['failed']);
  assert.equal(runner.enqueue(change), false);
});

/** True once the process has exited; a zombie counts (pid 1 reaps re-parented children when it likes). */
async function gone(pid: number, waitMs = 1000): Promise<boolean> {
  for (let i = 0; i < waitMs / 20; i++) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return true;
    }
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return true;
    await sleep(20);
  }
  return false;
}
