/**
 * The self-raised alerts' rules, without a stack: which facts make which alert, how long a
 * condition must hold, and that an unanswered check neither resolves nor re-fires an alert.
 * The end-to-end cases (a real full disk, a real hung vmalert) are in test/faults/.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentLogger } from '../../src/log/logger.js';
import type { ComponentStatus } from '../../src/stack/component-types.js';
import {
  type RaisedAlert,
  StackAlerts,
  type StackFacts,
  stackConditions,
  uncheckedAlerts,
} from '../../src/stack/stack-alerts.js';
import { parseReadOnly } from '../../src/stack/storage-state.js';

const MiB = 1024 ** 2;
const thresholds = { dataPath: '/var/lib/edgewatch', minFreeBytes: 64 * MiB, diskFreeLow: 0.1 };

function component(name: string, health: ComponentStatus['health'] = 'healthy', crashLooping = false) {
  return {
    name,
    pid: 1,
    health,
    uptimeSeconds: 1,
    restarts: 0,
    crashLooping,
    lastExit: undefined,
  } satisfies ComponentStatus;
}

function facts(over: Partial<StackFacts['storage']> = {}, components = [component('victoriametrics')]) {
  return {
    components,
    storage: { disk: { availableBytes: 10_000 * MiB, sizeBytes: 16_000 * MiB }, readOnly: false, ...over },
  };
}

const names = (f: StackFacts) => stackConditions(f, thresholds).map((c) => c.labels.alertname);

describe('stackConditions', () => {
  it('finds nothing on a healthy stack with room on the disk', () => {
    assert.deepEqual(names(facts()), []);
  });

  it('says DiskAlmostFull below twice vm.min-free-disk-space or below alerting.disk-free-low', () => {
    assert.deepEqual(names(facts({ disk: { availableBytes: 127 * MiB, sizeBytes: 1000 * MiB } })), [
      'DiskAlmostFull',
    ]);
    assert.deepEqual(names(facts({ disk: { availableBytes: 129 * MiB, sizeBytes: 1000 * MiB } })), []);
    assert.deepEqual(names(facts({ disk: { availableBytes: 900 * MiB, sizeBytes: 10_000 * MiB } })), [
      'DiskAlmostFull',
    ]);
  });

  it('says StorageReadOnly when VictoriaMetrics reports it, ComponentDown and crash loops per component', () => {
    assert.deepEqual(names(facts({ readOnly: true })), ['StorageReadOnly']);
    const conditions = stackConditions(
      facts({}, [component('victoriametrics', 'unhealthy'), component('vmalert', 'healthy', true)]),
      thresholds,
    );
    assert.deepEqual(
      conditions.map((c) => [c.labels.alertname, c.labels.component, c.labels.severity]),
      [
        ['ComponentDown', 'victoriametrics', 'critical'],
        ['ComponentCrashLooping', 'vmalert', 'critical'],
      ],
    );
  });

  it('says nothing of a component stopped on purpose (shutdown)', () => {
    assert.deepEqual(names(facts({}, [component('vmalert', 'stopped')])), []);
    assert.deepEqual(names(facts({}, [component('vmalert', 'starting')])), ['ComponentDown']);
  });

  it('names what could not be checked', () => {
    assert.deepEqual(uncheckedAlerts(facts({ readOnly: undefined, disk: undefined })), [
      'StorageReadOnly',
      'DiskAlmostFull',
    ]);
  });
});

describe('StackAlerts', () => {
  function harness() {
    let now = 1_000_000;
    const raised: RaisedAlert[][] = [];
    const alerts = new StackAlerts({
      facts: async () => facts(),
      thresholds,
      raise: (a) => raised.push(a),
      intervalMs: 5000,
      log: silentLogger,
      now: () => now,
    });
    const check = (f: StackFacts) => {
      now += 5000;
      const last = raised.length;
      alerts.evaluate(stackConditions(f, thresholds), uncheckedAlerts(f));
      return () => raised.slice(last);
    };
    return { check, raised, now: () => now };
  }
  const states = (batches: RaisedAlert[][], now: number) =>
    batches.flat().map((a) => `${a.labels.alertname} ${a.endsAt <= now ? 'resolved' : 'firing'}`);

  it('fires ComponentDown only after two checks in a row, and resolves it at the first healthy one', () => {
    const h = harness();
    const down = facts({}, [component('vmalert', 'unhealthy')]);
    assert.deepEqual(h.check(down)(), [], 'one unhealthy check is a restart, not an outage');
    assert.deepEqual(h.check(facts())(), []);
    assert.deepEqual(h.check(down)(), []);
    assert.deepEqual(states(h.check(down)(), h.now()), ['ComponentDown firing']);
    assert.deepEqual(states(h.check(down)(), h.now()), ['ComponentDown firing'], 're-raised at each check');
    assert.deepEqual(states(h.check(facts())(), h.now()), ['ComponentDown resolved']);
    assert.deepEqual(h.check(facts())(), [], 'resolved once');
  });

  it('fires StorageReadOnly at once, keeps it while VictoriaMetrics does not answer, resolves it when it says so', () => {
    const h = harness();
    assert.deepEqual(states(h.check(facts({ readOnly: true }))(), h.now()), ['StorageReadOnly firing']);
    assert.deepEqual(states(h.check(facts({ readOnly: undefined }))(), h.now()), ['StorageReadOnly firing']);
    assert.deepEqual(states(h.check(facts({ readOnly: false }))(), h.now()), ['StorageReadOnly resolved']);
    assert.deepEqual(
      h.check(facts({ readOnly: undefined }))(),
      [],
      'unknown does not fire what was not firing',
    );
  });

  it('raises alerts that expire within four intervals should edgewatch stop checking', () => {
    const h = harness();
    const [alert] = h
      .check(facts({ readOnly: true }))()
      .flat();
    assert.equal(alert?.endsAt, h.now() + 4 * 5000);
  });
});

describe('parseReadOnly', () => {
  it("reads vm_storage_is_read_only from VictoriaMetrics' /metrics", () => {
    const text = 'vm_storage_is_read_only_x 1\nvm_storage_is_read_only{path="/d"} 0\n';
    assert.equal(parseReadOnly(text), false);
    assert.equal(parseReadOnly(`${text}vm_storage_is_read_only{path="/e"} 1\n`), true);
    assert.equal(parseReadOnly('vm_free_disk_space_bytes{path="/d"} 5\n'), undefined);
  });
});
