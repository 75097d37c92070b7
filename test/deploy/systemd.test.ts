/**
 * systemd for real: a container whose PID 1 is systemd (machine.md, "Containers and systemd"),
 * with Debian's victoria-metrics package installed and its own service running, as on a real
 * box. edgewatch is installed as the README tells a user to (npm install -g of the packed
 * tarball, then deploy/systemd/install.sh), and the sequence below runs in that one container.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildSystemdImage, dockerAvailable, sh } from '../helpers/docker.js';
import { repoRoot } from '../helpers/edgewatch.js';
import { type SystemdBox, startSystemdBox } from '../helpers/systemd-box.js';
import { waitFor } from '../helpers/wait.js';

const skip = dockerAvailable() ? false : 'no docker daemon (CI starts one: .ci/run)';
const image = 'edgewatch-systemd:test';
const pack = mkdtempSync(join(tmpdir(), 'edgewatch-pack-'));
const MiB = 1024 ** 2;
let tarball = '';
let box: SystemdBox | undefined;

const inBox = (script: string) => (box as SystemdBox).run(script);
const show = (unit: string, property: string) => (box as SystemdBox).show(unit, property);
const state = (verb: 'is-active' | 'is-enabled', unit: string) => (box as SystemdBox).state(verb, unit);
const stackReport = () => (box as SystemdBox).stackReport();
const healthyStack = (what: string) => (box as SystemdBox).healthyStack(what);

/** The unit's memory limit as the kernel holds it (cgroup v1 here, v2 on most boxes). */
async function cgroupLimit(): Promise<number> {
  const pid = await show('edgewatch', 'MainPID');
  const text = await inBox(`
    v1=$(sed -n 's/^[0-9]*:memory:\\(.*\\)$/\\1/p' /proc/${pid}/cgroup)
    v2=$(sed -n 's/^0::\\(.*\\)$/\\1/p' /proc/${pid}/cgroup)
    cat "/sys/fs/cgroup/memory$v1/memory.limit_in_bytes" 2>/dev/null || cat "/sys/fs/cgroup$v2/memory.max"`);
  return Number(text);
}

/** MemoryMax= of the shipped unit, in bytes (systemd's K/M/G are powers of 1024). */
function shippedMemoryMax(): number {
  const unit = readFileSync(join(repoRoot, 'deploy/systemd/edgewatch.service'), 'utf8');
  const m = /^MemoryMax=(\d+)([KMG]?)$/m.exec(unit);
  assert.ok(m, 'the unit sets MemoryMax=');
  return Number(m[1]) * 1024 ** ' KMG'.indexOf((m[2] as string) || ' ');
}

before(async () => {
  if (skip) return;
  await buildSystemdImage(image);
  tarball = (await sh('npm', ['pack', '--silent', '--pack-destination', pack])).split('\n').pop() as string;
  box = await startSystemdBox(image, `ewsystemd${process.pid}`, ['-v', `${pack}:/pkg:ro`]);
});

after(async () => {
  await box?.remove().catch(() => {});
  rmSync(pack, { recursive: true, force: true });
});

test('systemd: install from the npm package, health, restarts, MemoryMax, the packaged service, uninstall', {
  skip,
}, async (t) => {
  await t.test("before the install, Debian's victoria-metrics.service runs, as on a real box", async () => {
    assert.equal(await state('is-active', 'victoria-metrics'), 'active');
  });

  await t.test(
    'npm install -g and install.sh: the unit is enabled, starts and the stack is healthy',
    async () => {
      await inBox(`npm install -g --offline --no-audit --no-fund /pkg/${tarball}`);
      await inBox('sh "$(npm root -g)/edgewatch/deploy/systemd/install.sh"');
      assert.equal(await state('is-enabled', 'edgewatch'), 'enabled');
      await healthyStack('a healthy stack under systemd');
      assert.equal(await show('edgewatch', 'User'), 'edgewatch');
    },
  );

  await t.test(
    'systemd-analyze security: exposure at most 2.0 (1.6 measured; 9.2 without the hardening lines)',
    async () => {
      const text = await inBox('systemd-analyze security --no-pager edgewatch.service');
      const score = Number(/Overall exposure level for edgewatch\.service: ([\d.]+)/.exec(text)?.[1]);
      assert.ok(score <= 2, text.split('\n').slice(-3).join('\n'));
    },
  );

  await t.test("Debian's victoria-metrics.service is stopped and masked", async () => {
    assert.equal(await state('is-enabled', 'victoria-metrics'), 'masked');
    assert.equal(await state('is-active', 'victoria-metrics'), 'inactive');
  });

  await t.test(
    "MemoryMax= is the cgroup's limit and edgewatch's budget, and follows set-property",
    async () => {
      const shipped = shippedMemoryMax();
      assert.equal(Number(await show('edgewatch', 'MemoryMax')), shipped);
      assert.equal(await cgroupLimit(), shipped);
      assert.equal((await stackReport()).budget_bytes, shipped);
      // The operator's way to change the budget: one number, where the limit is set.
      await inBox('systemctl set-property edgewatch.service MemoryMax=256M && systemctl restart edgewatch');
      const report = await healthyStack('healthy after set-property');
      assert.equal(await cgroupLimit(), 256 * MiB);
      assert.equal(report.budget_bytes, 256 * MiB);
      // What the operator reads: `edgewatch budget` (exits 1 when over, which is not the point here).
      assert.match(await inBox('edgewatch budget || true'), /^budget\.memory 256MiB /m);
    },
  );

  await t.test('kill -9 of edgewatch: its children go with it and systemd restarts it', async () => {
    const pid = Number(await show('edgewatch', 'MainPID'));
    const restarts = Number(await show('edgewatch', 'NRestarts'));
    const children = (await stackReport()).components.filter((c) => c.name !== 'edgewatch').map((c) => c.pid);
    await inBox(`kill -9 ${pid}`);
    await waitFor(
      'a restart by systemd',
      async () => Number(await show('edgewatch', 'NRestarts')) === restarts + 1,
      60_000,
      250,
    );
    const report = await healthyStack('healthy after kill -9');
    const now = Number(await show('edgewatch', 'MainPID'));
    assert.notEqual(now, pid);
    for (const child of children) {
      assert.equal(await inBox(`[ -e /proc/${child} ] && echo alive || echo gone`), 'gone', `pid ${child}`);
    }
    assert.equal(report.budget_bytes, 256 * MiB);
  });

  await t.test("after the box restarts: edgewatch comes back, Debian's service stays off", async () => {
    await (box as SystemdBox).restart();
    await healthyStack('healthy after the box restarted');
    assert.equal(await state('is-enabled', 'victoria-metrics'), 'masked');
    assert.equal(await state('is-active', 'victoria-metrics'), 'inactive');
  });

  await t.test('install.sh --uninstall leaves nothing but the data directory', async () => {
    await inBox('sh "$(npm root -g)/edgewatch/deploy/systemd/install.sh" --uninstall');
    await inBox('npm uninstall -g --offline edgewatch');
    assert.equal(await inBox('systemctl list-unit-files --no-legend "edgewatch*" | wc -l'), '0');
    assert.equal(await inBox('ls -d /etc/systemd/system*/edgewatch* 2>/dev/null | wc -l'), '0');
    assert.equal(await inBox('id edgewatch >/dev/null 2>&1 && echo user || echo none'), 'none');
    assert.equal(await inBox('command -v edgewatch || echo none'), 'none');
    // No process of the former user (uid from the data directory's owner) and nothing on :8000.
    const uid = await inBox('stat -c %u /var/lib/edgewatch');
    assert.notEqual(uid, '0');
    const procs = await inBox(
      `grep -l "^Uid:[[:space:]]*${uid}[[:space:]]" /proc/[0-9]*/status 2>/dev/null | wc -l`,
    );
    assert.equal(procs, '0');
    await assert.rejects(inBox('wget -q -T 2 -O /dev/null http://127.0.0.1:8000/healthz'));
    assert.equal(
      await state('is-enabled', 'victoria-metrics'),
      'masked',
      'the mask stays (README, "systemd")',
    );
  });
});
