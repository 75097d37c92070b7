import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { cgroupMemoryLimit } from '../../src/budget/cgroup-limit.js';
import { memoryBudget } from '../../src/budget/memory-budget.js';
import { budgetOptions } from '../../src/budget/plan.js';
import { Config } from '../../src/config/load.js';

const MiB = 1024 ** 2;

/** A fake cgroupfs: files relative to its root. */
function fakeCgroupfs(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'edgewatch-cgroupfs-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function withRoot<T>(files: Record<string, string>, fn: (root: string) => T): T {
  const root = fakeCgroupfs(files);
  try {
    return fn(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

test('cgroup v2: our own cgroup (a systemd unit) has the limit', () => {
  withRoot({ 'system.slice/edgewatch.service/memory.max': '314572800\n', 'memory.max': 'max\n' }, (root) => {
    const procSelfCgroup = '0::/system.slice/edgewatch.service\n';
    assert.equal(cgroupMemoryLimit({ root, procSelfCgroup }), 300 * MiB);
  });
});

test('cgroup v2: "max" is no limit', () => {
  withRoot({ 'memory.max': 'max\n' }, (root) => {
    assert.equal(cgroupMemoryLimit({ root, procSelfCgroup: '0::/\n' }), undefined);
  });
});

test('cgroup v1 in a container: the controller root holds the limit, /proc/self/cgroup names /docker/<id>', () => {
  withRoot({ 'memory/memory.limit_in_bytes': '201326592\n' }, (root) => {
    const procSelfCgroup = '4:memory:/docker/0123abcd\n1:cpu,cpuacct:/docker/0123abcd\n0::/\n';
    assert.equal(cgroupMemoryLimit({ root, procSelfCgroup }), 192 * MiB);
  });
});

test('cgroup v1: the page-rounded 2^63 is no limit; no cgroupfs at all is no limit', () => {
  withRoot({ 'memory/memory.limit_in_bytes': '9223372036854771712\n' }, (root) => {
    assert.equal(cgroupMemoryLimit({ root, procSelfCgroup: '4:memory:/\n' }), undefined);
  });
  assert.equal(cgroupMemoryLimit({ root: '/nonexistent-cgroupfs', procSelfCgroup: '' }), undefined);
});

test('budget.memory: unset takes the cgroup limit; set, the option wins; no limit, the default', () => {
  withRoot({ 'memory/memory.limit_in_bytes': `${192 * MiB}\n` }, (root) => {
    const paths = { root, procSelfCgroup: '4:memory:/docker/x\n' };
    const unset = new Config();
    unset.set(budgetOptions.memory, budgetOptions.memory.default, 'default');
    assert.equal(memoryBudget(unset, paths), 192 * MiB);
    const set = new Config();
    set.set(budgetOptions.memory, 250 * MiB, 'env');
    assert.equal(memoryBudget(set, paths), 250 * MiB);
  });
  const unset = new Config();
  unset.set(budgetOptions.memory, budgetOptions.memory.default, 'default');
  assert.equal(memoryBudget(unset, { root: '/nonexistent-cgroupfs', procSelfCgroup: '' }), 300 * MiB);
});
