/** Forwarding a component's log lines: levels mapped, and a fault's repeated errors held back. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../../src/log/logger.js';
import { LogForwarder, REPEAT_WINDOW_MS } from '../../src/stack/output.js';
import type { LogLine } from '../helpers/edgewatch.js';

function forwarder() {
  const lines: LogLine[] = [];
  const clock = { ms: 0 };
  const log = createLogger({ level: 'debug', write: (line) => lines.push(JSON.parse(line) as LogLine) });
  return { lines, clock, forwarder: new LogForwarder(log, () => clock.ms) };
}

const vm = (level: string, msg: string, caller = 'lib/storage/partition.go:1234') =>
  JSON.stringify({ ts: '2026-12-04T00:00:00Z', level, caller, msg });

describe('component log forwarding', () => {
  it('maps warn, error, fatal and panic; other lines go to debug', () => {
    const { lines, forwarder: f } = forwarder();
    f.forward(vm('info', 'started', 'a.go:1'));
    f.forward(vm('warn', 'slow', 'b.go:1'));
    f.forward(vm('error', 'broken', 'c.go:1'));
    f.forward(vm('fatal', 'cannot parse rules', 'd.go:1'));
    f.forward(vm('panic', 'nil map', 'e.go:1'));
    f.forward('goroutine 1 [running]:');
    assert.deepEqual(
      lines.map((l) => [l.level, l.msg]),
      [
        ['debug', 'started'],
        ['warn', 'slow'],
        ['error', 'broken'],
        ['error', 'cannot parse rules'],
        ['error', 'nil map'],
        ['debug', 'output'],
      ],
    );
  });

  it('forwards an error from the same place once per window, then says how many were held back', () => {
    const { lines, clock, forwarder: f } = forwarder();
    // VictoriaMetrics on a full disk: ~190 errors a minute from one place, each with its own path.
    for (let i = 0; i < 190; i++) {
      clock.ms = i * 300;
      f.forward(vm('error', `cannot flush part /data/small/${i}: no space left on device`));
    }
    f.forward(vm('error', 'another fault', 'lib/other.go:9'));
    const errors = lines.filter((l) => l.level === 'error');
    // 190 lines over 57 s: the first, then nothing until the window has passed.
    assert.equal(errors.length, 2);
    assert.equal(errors[1]?.msg, 'another fault');
    clock.ms = REPEAT_WINDOW_MS + 1;
    f.forward(vm('error', 'cannot flush part /data/small/191: no space left on device'));
    const last = lines.at(-1);
    assert.match(String(last?.msg), /small\/191/);
    assert.equal(last?.repeated_since_last, 189);
  });
});
