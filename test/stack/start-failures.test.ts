/**
 * What the operator sees when the stack cannot start: configuration errors and missing binaries
 * exit 2 before anything starts; a component that fails to start is reported with its command
 * line and output and retried while the rest of the stack serves; a taken address exits 1.
 */
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AlertsReport } from '../../src/api/types.js';
import { runEdgewatch } from '../helpers/edgewatch.js';
import { freePort, httpGet } from '../helpers/net.js';
import { processGone, stackArgs, startStack } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait.js';

describe('edgewatch up start failures', { timeout: 60_000 }, () => {
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'edgewatch-start-'));
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A stand-in for a component: a shell script. */
  async function fakeBinary(name: string, body: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, `#!/bin/sh\n${body}\n`);
    await chmod(path, 0o755);
    return path;
  }

  async function up(...extra: string[]) {
    const { args } = await stackArgs(join(dir, 'data'));
    return runEdgewatch([...args, ...extra], {}, 30_000);
  }

  for (const [flag, named] of [
    ['--vm.retention=12h', '--vm.retention'],
    ['--vm.retention=30h30m', '--vm.retention'],
    ['--vm.listen-address=0.0.0.0:8428', '--vm.listen-address'],
    ['--alerting.humidity-high=90', '--alerting.humidity-high'],
    ['--alerting.alertmanager-urls=alertmanager:9093', '--alerting.alertmanager-urls'],
  ] as const) {
    it(`exits 2 naming the option for ${flag}`, async () => {
      const r = await up(flag);
      assert.equal(r.code, 2, r.stderr);
      const error = r.lines.find((l) => l.level === 'error');
      assert.equal(error?.code, 'EW_CONFIG_INVALID');
      assert.ok(error.msg.includes(named), error.msg);
      assert.ok(!r.lines.some((l) => l.msg === 'listening'), 'nothing started');
    });
  }

  it('exits 2 when Basic credentials are set without a token VictoriaMetrics and vmalert could use', async () => {
    const r = await up('--web.auth.username=admin', `--web.auth.password-file=${join(dir, 'unused')}`);
    assert.equal(r.code, 2, r.stderr);
    const error = r.lines.find((l) => l.level === 'error');
    assert.equal(error?.code, 'EW_CONFIG_INVALID');
    assert.match(error.msg, /--web\.auth\.username alone.*set --web\.auth\.token-file as well/);
  });

  it('exits 2 with the minimum when budget.memory is too small for the stack', async () => {
    const r = await up('--budget.memory=128MiB');
    assert.equal(r.code, 2, r.stderr);
    const error = r.lines.find((l) => l.level === 'error');
    assert.equal(error?.code, 'EW_CONFIG_INVALID');
    assert.match(error.msg, /--budget\.memory=128MiB is too small: the stack needs at least 142MiB/);
  });

  it('exits 2 with how to install VictoriaMetrics when its binary is missing', async () => {
    const r = await up('--vm.binary=/nonexistent/victoria-metrics');
    assert.equal(r.code, 2, r.stderr);
    const error = r.lines.find((l) => l.level === 'error');
    assert.equal(error?.code, 'EW_BINARY_MISSING');
    assert.match(error.msg, /cannot find \/nonexistent\/victoria-metrics \(--vm\.binary\)/);
    assert.match(error.msg, /apt-get install victoria-metrics/);
    assert.match(error.msg, /github\.com\/VictoriaMetrics\/VictoriaMetrics\/releases/);
    assert.match(error.msg, /--vm\.binary=\/path\/to\/the\/binary/);
  });

  it('exits 2 when vmalert is not on PATH', async () => {
    const r = await up('--vmalert.binary=vmalert-not-installed');
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.lines.find((l) => l.level === 'error')?.msg ?? '',
      /"vmalert-not-installed" on PATH \(--vmalert\.binary\)/,
    );
  });

  it('keeps the rest of the stack serving when vmalert exits at start: reported with its command line and output, retried', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => `echo "fake vmalert line ${i + 1}"`).join('\n');
    const fake = await fakeBinary(
      'vmalert-exits',
      `${lines}\necho '{"ts":"2026-01-01T00:00:00Z","level":"fatal","caller":"main.go:1","msg":"cannot parse rules"}'\nexit 3`,
    );
    const s = await startStack([`--vmalert.binary=${fake}`], { degraded: true });
    try {
      const failed = s.proc.lines.find((l) => l.msg === 'component failed to start');
      assert.equal(failed?.component, 'vmalert');
      assert.match(failed.reason as string, /exited before becoming healthy \(exit code 3\)/);
      assert.match(
        failed.command as string,
        new RegExp(
          `^GOMEMLIMIT=19MiB .*--pdeathsig SIGTERM -- ${fake} -httpListenAddr=127\\.0\\.0\\.1:\\d+ '-rule=`,
        ),
      );
      const output = failed.output as string[];
      assert.equal(output.length, 20);
      assert.equal(output.at(-2), 'fake vmalert line 30');
      assert.match(output.at(-1) ?? '', /cannot parse rules/);
      // Its fatal line was also forwarded as an error, with the component named.
      assert.ok(
        s.proc.lines.some(
          (l) => l.level === 'error' && l.component === 'vmalert' && l.msg === 'cannot parse rules',
        ),
      );
      assert.deepEqual(s.proc.lines.find((l) => l.msg === 'stack up with failing components')?.failing, [
        'vmalert',
      ]);

      // Sensors, storage and the dashboard serve on.
      assert.equal((await httpGet(`${s.webUrl}/sensor`)).status, 200);
      assert.equal((await httpGet(`${s.webUrl}/`)).status, 200);
      const report = await s.stack();
      assert.equal(report.components.find((c) => c.name === 'victoriametrics')?.health, 'healthy');
      // And vmalert is retried with backoff, each failure reported.
      const vmalert = await waitFor(
        'a second failed vmalert run',
        async () => (await s.stack()).components.find((c) => c.name === 'vmalert' && c.restarts >= 2),
        15_000,
        100,
      );
      assert.notEqual(vmalert.health, 'healthy');
      assert.equal(vmalert.last_exit?.reason, 'exit code 3');
      // edgewatch raises the alert vmalert cannot raise about itself.
      await waitFor(
        'ComponentDown for vmalert',
        async () => {
          const report = JSON.parse((await httpGet(`${s.webUrl}/api/alerts`)).body) as AlertsReport;
          return report.active.find((a) => a.name === 'ComponentDown' && a.labels.component === 'vmalert');
        },
        30_000,
        200,
      );
      const exited = s.proc.lines.filter((l) => l.msg === 'component exited' && l.component === 'vmalert');
      assert.match(String((exited[0]?.output as string[] | undefined)?.at(-1)), /cannot parse rules/);
    } finally {
      await s.cleanup();
    }
    const stopped = s.proc.lines.filter((l) => l.msg === 'stopped').map((l) => l.step);
    assert.deepEqual(stopped, ['vmalert', 'victoriametrics', 'http', 'alerting', 'sensors']);
  });

  it('reports a component that never becomes healthy within stack.start-timeout, keeps probing it, and kills it at stop', async () => {
    const fake = await fakeBinary('vmalert-hangs', 'echo "waiting forever"\nexec sleep 60');
    const s = await startStack([`--vmalert.binary=${fake}`, '--stack.start-timeout=1s'], { degraded: true });
    let pid: number | undefined;
    try {
      const failed = s.proc.lines.find((l) => l.msg === 'component failed to start');
      assert.match(failed?.reason as string, /\/health did not answer 200 within 1000 ms/);
      assert.deepEqual(failed?.output, ['waiting forever']);
      const vmalert = (await s.stack()).components.find((c) => c.name === 'vmalert');
      assert.equal(vmalert?.health, 'unhealthy');
      pid = vmalert.pid ?? undefined;
      assert.ok(pid !== undefined && !processGone(pid), 'the slow component is kept running');
      assert.equal((await httpGet(`${s.webUrl}/sensor`)).status, 200);
    } finally {
      await s.cleanup();
    }
    assert.ok(processGone(pid), 'and stopped with the stack');
  });

  it('exits 1 when something already listens on a component address', async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      const r = await up(`--vm.listen-address=127.0.0.1:${port}`);
      assert.equal(r.code, 1, r.stderr);
      const final = r.lines.at(-1);
      assert.equal(final?.code, 'EW_COMPONENT_START');
      assert.match(final.msg, new RegExp(`something already listens on 127\\.0\\.0\\.1:${port}`));
    } finally {
      server.close();
    }
  });

  for (const command of ['status', 'budget']) {
    it(`${command} exits 1 saying nothing answers when edgewatch is not running`, async () => {
      const port = await freePort();
      const r = await runEdgewatch([command, `--web.listen-address=127.0.0.1:${port}`]);
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        new RegExp(`nothing answers at http://127\\.0\\.0\\.1:${port}/api/stack .*edgewatch up`),
      );
      assert.equal(r.stdout, '');
    });
  }
});
