/**
 * Disk full, on the real stack: storage.path is a 64 MiB tmpfs that the test fills while
 * `edgewatch up` runs. VictoriaMetrics (vm.min-free-disk-space=16MiB) must go read-only instead
 * of panicking, edgewatch must raise StorageReadOnly and DiskAlmostFull itself (vmalert's rules
 * cannot: their samples are no longer stored) and run the action for them, sensors must still
 * be served, and both alerts must resolve once the space is freed. The tests run in order and
 * share the stack.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AlertsReport, StackComponentJson } from '../../src/api/types.js';
import { httpGet } from '../helpers/net.js';
import { type StackUnderTest, startStack } from '../helpers/stack.js';
import { fillFile, isRoot, mountTmpfs, type Tmpfs } from '../helpers/tmpfs.js';
import { waitFor } from '../helpers/wait.js';

const MiB = 1024 * 1024;

describe('disk full under edgewatch up', {
  skip: !isRoot && 'mounting a tmpfs needs root',
  timeout: 120_000,
}, () => {
  let disk: Tmpfs;
  let s: StackUnderTest;
  let actionDir: string;
  let actionFile: string;
  let vmBefore: StackComponentJson;

  const activeAlerts = async () =>
    (JSON.parse((await httpGet(`${s.webUrl}/api/alerts`)).body) as AlertsReport).active.map((a) => a.name);
  const vm = async () => {
    const found = (await s.stack()).components.find((c) => c.name === 'victoriametrics');
    assert.ok(found, 'victoriametrics in /api/stack');
    return found;
  };
  const available = async () => {
    const fs = await statfs(disk.dir);
    return fs.bavail * fs.bsize;
  };

  before(async () => {
    disk = mountTmpfs(64);
    actionDir = await mkdtemp(join(tmpdir(), 'edgewatch-action-'));
    actionFile = join(actionDir, 'actions.log');
    s = await startStack(
      [
        '--vm.min-free-disk-space=16MiB',
        `--alerting.action-command=printf '%s %s\\n' "$EDGEWATCH_ALERT_NAME" "$EDGEWATCH_ALERT_STATE" >> '${actionFile}'`,
      ],
      { dir: disk.dir },
    );
    vmBefore = await vm();
  });

  after(async () => {
    await s?.cleanup();
    disk?.remove();
    if (actionDir) await rm(actionDir, { recursive: true, force: true });
  });

  it('raises StorageReadOnly and DiskAlmostFull when less than vm.min-free-disk-space is left', async () => {
    assert.deepEqual(await activeAlerts(), [], 'no alert before the fill');
    // Leave 12 MiB: below the 16 MiB minimum, so VictoriaMetrics must stop storing, with room
    // for the flushes of what it already holds; above its own default (10 MB), so only the flag
    // edgewatch gives it makes it stop.
    await fillFile(join(disk.dir, 'fill-1'), (await available()) - 12 * MiB);
    const names = await waitFor(
      'StorageReadOnly and DiskAlmostFull in GET /api/alerts',
      async () => {
        const active = await activeAlerts();
        return active.includes('StorageReadOnly') && active.includes('DiskAlmostFull') ? active : undefined;
      },
      20_000,
      200,
    );
    assert.ok(!names.includes('ComponentDown'), `no component is down: ${names.join(', ')}`);
    const report = JSON.parse((await httpGet(`${s.webUrl}/api/alerts`)).body) as AlertsReport;
    const readOnly = report.active.find((a) => a.name === 'StorageReadOnly');
    assert.equal(readOnly?.severity, 'critical');
    assert.equal(readOnly?.labels.raised_by, 'edgewatch');
    assert.match(readOnly?.annotations.description ?? '', /vm\.min-free-disk-space/);
  });

  it('keeps VictoriaMetrics running read-only, without a restart', async () => {
    const now = await vm();
    assert.equal(now.pid, vmBefore.pid, 'the same VictoriaMetrics process');
    assert.equal(now.restarts, 0);
    assert.equal(now.health, 'healthy');
    const metrics = await httpGet(`${s.vmUrl}/metrics`);
    assert.match(metrics.body, /^vm_storage_is_read_only\{[^}]*\} 1$/m);
  });

  it('runs alerting.action-command for the self-raised alerts', async () => {
    const lines = await waitFor(
      'the action for StorageReadOnly',
      async () => {
        const text = await readFile(actionFile, 'utf8').catch(() => '');
        return text.includes('StorageReadOnly firing') ? text : undefined;
      },
      10_000,
      100,
    );
    assert.match(lines, /^DiskAlmostFull firing$/m);
  });

  it('still serves the sensors', async () => {
    const res = await httpGet(`${s.webUrl}/sensor`);
    assert.equal(res.status, 200);
    const metrics = await httpGet(`${s.webUrl}/metrics`);
    assert.match(metrics.body, /^sensor_temperature_celsius\{/m);
  });

  it('survives the disk filling up completely, without a crash loop', async () => {
    await fillFile(join(disk.dir, 'fill-2'), 64 * MiB);
    assert.equal(await available(), 0, 'the disk is full');
    const filledAt = Date.now();
    // A flush of what VictoriaMetrics held when the disk hit 100% may still panic it once (1.79
    // does: it finishes its in-memory parts even read-only); restarted, it stores nothing more,
    // so it must then stay up. Wait for a VictoriaMetrics that has lived 10 s on the full disk.
    const settled = await waitFor(
      'VictoriaMetrics up for 10 s on the full disk',
      async () => {
        const c = await vm();
        const upSince = Date.now() - c.uptime_seconds * 1000;
        return c.health === 'healthy' && Date.now() - Math.max(upSince, filledAt) >= 10_000 ? c : undefined;
      },
      60_000,
      500,
    );
    console.log(`disk-full: VictoriaMetrics restarts after filling to 100%: ${settled.restarts}`);
    assert.equal(settled.crash_looping, false);
    assert.ok(settled.restarts <= 1, `at most one restart, got ${settled.restarts}`);
    assert.equal((await httpGet(`${s.webUrl}/sensor`)).status, 200);
    const active = await activeAlerts();
    assert.ok(active.includes('StorageReadOnly') && active.includes('DiskAlmostFull'), active.join(', '));
  });

  it('resolves both alerts once the space is freed', async () => {
    await rm(join(disk.dir, 'fill-1'));
    await rm(join(disk.dir, 'fill-2'));
    await waitFor(
      'no active alert',
      async () => ((await activeAlerts()).length === 0 ? true : undefined),
      20_000,
      200,
    );
    const report = JSON.parse((await httpGet(`${s.webUrl}/api/alerts`)).body) as AlertsReport;
    const resolved = report.history.filter((h) => h.state === 'resolved').map((h) => h.name);
    assert.ok(
      resolved.includes('StorageReadOnly') && resolved.includes('DiskAlmostFull'),
      resolved.join(', '),
    );
    const metrics = await httpGet(`${s.vmUrl}/metrics`);
    assert.match(metrics.body, /^vm_storage_is_read_only\{[^}]*\} 0$/m);
  });
});
