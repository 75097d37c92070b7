import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseProcCgroup } from '../../src/budget/cgroup-limit.js';
import { EdgewatchError, ErrorCode } from '../../src/errors.js';
import { Cgroup, parseKeyValues, workingSet } from '../../src/verify/cgroup.js';

const v1MemoryStat = `cache 90038272
rss 41263104
inactive_file 1000
active_file 55205888
hierarchical_memory_limit 524288000
total_cache 90038272
total_rss 41263104
total_inactive_anon 41238528
total_inactive_file 34832384
total_active_file 55205888
`;

const v2MemoryStat = `anon 41263104
file 90038272
kernel 2162688
inactive_anon 41238528
active_anon 24576
inactive_file 34832384
active_file 55205888
`;

test('v1: working set subtracts total_inactive_file (hierarchical), not the local inactive_file', () => {
  const stat = parseKeyValues(v1MemoryStat);
  assert.equal(stat.get('hierarchical_memory_limit'), 524288000);
  assert.equal(workingSet(140_000_000, stat, 1), 140_000_000 - 34832384);
});

test('v2: working set subtracts inactive_file, never below 0', () => {
  const stat = parseKeyValues(v2MemoryStat);
  assert.equal(workingSet(140_000_000, stat, 2), 140_000_000 - 34832384);
  assert.equal(workingSet(1000, stat, 2), 0);
});

test('OOM kills: v1 memory.oom_control and v2 memory.events', () => {
  assert.equal(parseKeyValues('oom_kill_disable 0\nunder_oom 0\noom_kill 3\n').get('oom_kill'), 3);
  assert.equal(
    parseKeyValues('low 0\nhigh 0\nmax 17\noom 2\noom_kill 2\noom_group_kill 0\n').get('oom_kill'),
    2,
  );
  // Kernels before 4.13 have no oom_kill line in v1.
  assert.equal(parseKeyValues('oom_kill_disable 0\nunder_oom 0\n').get('oom_kill'), undefined);
});

test('/proc/self/cgroup: v1 controllers (also comma-joined) and the v2 path', () => {
  const paths = parseProcCgroup(
    '12:memory:/user.slice\n3:cpu,cpuacct:/user.slice/x\n1:name=systemd:/init.scope\n0::/user.slice/y\n',
  );
  assert.equal(paths.get('memory'), '/user.slice');
  assert.equal(paths.get('cpu'), '/user.slice/x');
  assert.equal(paths.get('cpuacct'), '/user.slice/x');
  assert.equal(paths.get(''), '/user.slice/y');
});

/** Creates a real cgroup, or says why this machine cannot (not root, read-only or missing controllers). */
async function tryCreate(name: string, memoryBytes: number, cpus: number): Promise<Cgroup | string> {
  if (process.getuid?.() !== 0) return 'needs root to create cgroups';
  try {
    return await Cgroup.create({ name, memoryBytes, cpus });
  } catch (err) {
    if (err instanceof EdgewatchError && err.code === ErrorCode.UNSUPPORTED) return err.message;
    throw err;
  }
}

/** Runs `script` in the cgroup: the shell enters it before running anything else. */
function spawnInside(cgroup: Cgroup, script: string) {
  return spawn(
    '/bin/sh',
    ['-c', `for f in "$@"; do echo $$ > "$f" || exit 97; done; ${script}`, 'sh', ...cgroup.procsFiles],
    {
      stdio: 'ignore',
    },
  );
}

test('a real cgroup: sets the limits, holds a process, reports usage and is removed', async (t) => {
  const cgroup = await tryCreate(`edgewatch-test-${process.pid}`, 64 * 1024 ** 2, 0.5);
  if (typeof cgroup === 'string') {
    t.skip(cgroup);
    return;
  }
  try {
    if (cgroup.version === 2) {
      assert.equal(readFileSync(join(cgroup.memoryDir, 'memory.max'), 'utf8').trim(), String(64 * 1024 ** 2));
      assert.equal(readFileSync(join(cgroup.memoryDir, 'cpu.max'), 'utf8').trim(), '50000 100000');
    } else {
      assert.equal(
        readFileSync(join(cgroup.memoryDir, 'memory.limit_in_bytes'), 'utf8').trim(),
        String(64 * 1024 ** 2),
      );
      assert.equal(readFileSync(join(cgroup.cpuDir as string, 'cpu.cfs_quota_us'), 'utf8').trim(), '50000');
    }
    const child = spawnInside(cgroup, 'exec sleep 30');
    const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    for (let i = 0; i < 100 && !(await cgroup.pids()).includes(child.pid as number); i++) await sleep(20);
    assert.deepEqual(await cgroup.pids(), [child.pid]);

    const sample = await cgroup.sample();
    assert.ok(sample.usageBytes > 0, 'usage counts the process');
    assert.ok(sample.workingSetBytes <= sample.usageBytes);
    assert.equal(sample.oomKills, 0);
    if (sample.peakBytes !== undefined) assert.ok(sample.peakBytes >= sample.usageBytes);

    await cgroup.remove();
    assert.equal(await exited, 'SIGKILL', 'remove() killed the process left inside');
    assert.equal(existsSync(cgroup.memoryDir), false);
    if (cgroup.cpuDir) assert.equal(existsSync(cgroup.cpuDir), false);
  } finally {
    await cgroup.remove();
  }
});

test('a real cgroup over its limit: the OOM kill is counted', async (t) => {
  const cgroup = await tryCreate(`edgewatch-test-oom-${process.pid}`, 32 * 1024 ** 2, 1);
  if (typeof cgroup === 'string') {
    t.skip(cgroup);
    return;
  }
  try {
    // tail keeps its input until the last newline, and /dev/zero has none: it grows until killed.
    const child = spawnInside(cgroup, 'head -c 200000000 /dev/zero | tail > /dev/null');
    await new Promise((resolve) => child.once('exit', resolve));
    const sample = await cgroup.sample();
    assert.ok(sample.oomKills >= 1, `oom kills: ${sample.oomKills}`);
    assert.ok((sample.peakBytes ?? 0) <= 32 * 1024 ** 2 + 4096, 'the limit held');
  } finally {
    await cgroup.remove();
  }
});
