/**
 * `npm run up` from a clone on a box with systemd (issue 9): Debian's victoria-metrics package is
 * installed and its own service runs, holding :8428 on every interface, as on a real box. The
 * clone is this checkout's files as git sees them (tracked and new, not ignored: no dist/, no
 * node_modules/), so what runs is what a user's `git clone` gets. node_modules comes from this
 * machine (same architecture) so the test needs no registry: `npm ci` is npm's business, and
 * setup.sh skips it when node_modules is newer than the lockfile, as after a user's first run.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildSystemdImage, dockerAvailable, sh } from '../helpers/docker.js';
import { repoRoot } from '../helpers/edgewatch.js';
import { type SystemdBox, startSystemdBox } from '../helpers/systemd-box.js';
import { waitFor } from '../helpers/wait.js';

const skip = dockerAvailable() ? false : 'no docker daemon (CI starts one: .ci/run)';
const image = 'edgewatch-systemd:test';
const work = mkdtempSync(join(tmpdir(), 'edgewatch-clone-'));
const clone = '/root/edgewatch';
let box: SystemdBox | undefined;

const inBox = (script: string) => (box as SystemdBox).run(script);
const state = (verb: 'is-active' | 'is-enabled', unit: string) => (box as SystemdBox).state(verb, unit);
/** Something answers on the box's :8428 (the packaged service, or edgewatch's own VictoriaMetrics). */
const port8428 = () =>
  inBox('wget -q -T 2 -O /dev/null http://127.0.0.1:8428/health && echo open || echo closed');

/** The clone as a tarball: git's view of the checkout, plus node_modules (the real directory). */
function packClone(): string {
  const tarball = join(work, 'clone.tar');
  const files = execFileSync('git', ['-C', repoRoot, 'ls-files', '-z', '-co', '--exclude-standard'])
    .toString()
    .split('\0')
    .filter((f) => f !== '' && existsSync(join(repoRoot, f)));
  execFileSync('tar', ['-C', repoRoot, '-cf', tarball, '--null', '-T', '-'], { input: files.join('\0') });
  const modules = realpathSync(join(repoRoot, 'node_modules'));
  execFileSync('tar', ['-C', dirname(modules), '-rf', tarball, 'node_modules']);
  return tarball;
}

before(async () => {
  if (skip) return;
  await buildSystemdImage(image);
  box = await startSystemdBox(image, `ewclone${process.pid}`);
  await sh('docker', ['cp', packClone(), `${box.name}:/root/clone.tar`]);
  await inBox(
    `mkdir -p ${clone} && tar -C ${clone} -xf /root/clone.tar && rm /root/clone.tar && touch ${clone}/node_modules/.package-lock.json`,
  );
});

after(async () => {
  await box?.remove().catch(() => {});
  rmSync(work, { recursive: true, force: true });
});

test("npm run up on a box running Debian's victoria-metrics.service: masks it, comes up, it stays off", {
  skip,
}, async (t) => {
  await t.test("before: Debian's victoria-metrics.service runs and holds :8428", async () => {
    assert.equal(await state('is-active', 'victoria-metrics'), 'active');
    assert.equal(await state('is-enabled', 'victoria-metrics'), 'enabled');
    assert.equal(await port8428(), 'open');
  });

  await t.test(
    'npm run up: says what it does to the service, masks it, and the stack is healthy',
    async () => {
      // In the background, as a user's terminal would hold it; the exit status lands in up.rc.
      await sh('docker', [
        'exec',
        '-d',
        (box as SystemdBox).name,
        'sh',
        '-c',
        `cd ${clone} && timeout 600 npm run up >/root/up.log 2>&1; echo $? >/root/up.rc`,
      ]);
      const outcome = await waitFor(
        'npm run up: a healthy stack, or its exit',
        async () => {
          const rc = await inBox('cat /root/up.rc 2>/dev/null || true');
          if (rc !== '') return { exited: rc };
          const report = await (box as SystemdBox).stackReport();
          // Every component the stack runs, not only those listed so far.
          const names = report.components.map((c) => c.name).sort();
          const whole = ['edgewatch', 'victoriametrics', 'vmalert'].every((n) => names.includes(n));
          return whole && report.components.every((c) => c.health === 'healthy') && { report };
        },
        240_000,
        500,
      );
      const log = await inBox('cat /root/up.log');
      assert.ok(outcome.report, `npm run up exited with ${JSON.stringify(outcome)}:\n${log}`);
      assert.match(log, /stopping, disabling and masking Debian's victoria-metrics\.service \(was enabled/);
      assert.equal(await state('is-enabled', 'victoria-metrics'), 'masked');
      assert.equal(await state('is-active', 'victoria-metrics'), 'inactive');
      // :8428 now is edgewatch's own VictoriaMetrics, a child of `npm run up`'s edgewatch.
      const vm = outcome.report.components.find((c) => c.name === 'victoriametrics');
      assert.ok(vm?.pid, JSON.stringify(outcome.report.components));
      assert.match(
        await inBox(`tr '\\0' ' ' </proc/${vm?.pid}/cmdline`),
        /-httpListenAddr=127\.0\.0\.1:8428 /,
      );
    },
  );

  await t.test('Ctrl-C (SIGTERM) stops the whole stack', async () => {
    const { components } = await (box as SystemdBox).stackReport();
    const edgewatch = components.find((c) => c.name === 'edgewatch')?.pid;
    await inBox(`kill -TERM ${edgewatch}`);
    await waitFor(
      'npm run up to exit',
      async () => (await inBox('cat /root/up.rc 2>/dev/null || true')) !== '',
      60_000,
      250,
    );
    for (const c of components) {
      assert.equal(await inBox(`[ -e /proc/${c.pid} ] && echo alive || echo gone`), 'gone', c.name);
    }
    assert.equal(await port8428(), 'closed');
  });

  await t.test("after the box restarts, Debian's service stays off", async () => {
    await (box as SystemdBox).restart();
    assert.equal(await state('is-enabled', 'victoria-metrics'), 'masked');
    assert.equal(await state('is-active', 'victoria-metrics'), 'inactive');
    assert.equal(await port8428(), 'closed');
  });
});
