/**
 * Forwarding of a component's log lines: the same warning or error repeated (VictoriaMetrics at
 * every scrape while its disk is full) is logged once a minute with a count, not every time.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger, type LogFields } from '../../src/log/logger.js';
import { forwardLine } from '../../src/stack/output.js';

const readOnly = JSON.stringify({
  level: 'error',
  caller: 'VictoriaMetrics/app/vminsert/prompush/push.go:80',
  msg: 'cannot flush promscrape data to storage: cannot store metrics: the storage is in read-only mode',
});

function capture() {
  const lines: LogFields[] = [];
  const log = createLogger({ level: 'info', write: (line) => lines.push(JSON.parse(line) as LogFields) });
  return { lines, log };
}

describe('forwardLine', () => {
  it('logs a repeated error once a minute, then with the count of repeats left out', () => {
    const { lines, log } = capture();
    const t0 = 1_000_000;
    // ~190 a minute: three targets scraped every second.
    for (let i = 0; i < 190; i++) forwardLine(log, readOnly, t0 + i * 300);
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.level, 'error');
    assert.equal(lines[0]?.repeated, undefined);
    forwardLine(log, readOnly, t0 + 60_000);
    assert.equal(lines.length, 2);
    assert.equal(lines[1]?.repeated, 189);
    assert.equal(lines[1]?.caller, 'VictoriaMetrics/app/vminsert/prompush/push.go:80');
  });

  it('keeps different messages and different components apart', () => {
    const a = capture();
    const b = capture();
    forwardLine(a.log, readOnly, 0);
    forwardLine(a.log, JSON.stringify({ level: 'warn', msg: 'switching the storage to read-only mode' }), 1);
    forwardLine(b.log, readOnly, 2);
    assert.deepEqual(
      a.lines.map((l) => l.level),
      ['error', 'warn'],
    );
    assert.equal(b.lines.length, 1);
  });
});
