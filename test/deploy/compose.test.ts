import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildTestImage, dockerAvailable, sh } from '../helpers/docker.js';
import { freePort } from '../helpers/net.js';
import { waitFor } from '../helpers/wait.js';

// One project per run: the image, containers and volumes are this test's alone.
const project = `ewtest${process.pid}`;
const image = `edgewatch:test-${process.pid}`;
const skip = dockerAvailable() ? false : 'no docker daemon (CI starts one: .ci/run)';
const dir = mkdtempSync(join(tmpdir(), 'edgewatch-compose-'));
const token = 'compose-test-token-0123456789';
let port = 0;
let env: NodeJS.ProcessEnv = {};
const MiB = 1024 ** 2;
const limitBytes = 143 * MiB;

const compose = (...args: string[]) => sh('docker-compose', ['-p', project, ...args], env);
const container = () =>
  sh('docker', ['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`]);
const auth = { headers: { authorization: `Bearer ${token}` } };

async function health(): Promise<string> {
  return sh('docker', ['inspect', '-f', '{{.State.Health.Status}}', await container()]);
}

async function query(promql: string, time?: number): Promise<unknown[]> {
  const params = new URLSearchParams({ query: promql, ...(time ? { time: String(time) } : {}) });
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/query?${params}`, auth);
  const body = (await res.json()) as { data?: { result?: unknown[] } };
  return body.data?.result ?? [];
}

before(async () => {
  if (skip) return;
  port = await freePort();
  writeFileSync(join(dir, 'token'), token, { mode: 0o644 });
  env = { EDGEWATCH_IMAGE: image, EDGEWATCH_PORT: String(port), EDGEWATCH_TOKEN_FILE: join(dir, 'token') };
  // EDGEWATCH_TEST_SUITE=trixie: the same test on a Debian 13 image (README, "Containers").
  await buildTestImage(image, process.env.EDGEWATCH_TEST_SUITE ?? 'bookworm');
});

after(async () => {
  if (!skip) {
    await compose('down', '-v', '--remove-orphans').catch(() => {});
    await sh('docker', ['image', 'rm', '-f', image]).catch(() => {});
  }
  rmSync(dir, { recursive: true, force: true });
});

test('the compose file passes docker-compose config, with only loopback published', { skip }, async () => {
  const config = await compose('config');
  assert.match(config, new RegExp(`127\\.0\\.0\\.1:${port}:8000`));
  assert.doesNotMatch(config, /8428|8880/, "VictoriaMetrics' and vmalert's ports stay inside");
});

test('docker-compose: healthy, data queryable, limits, read-only, non-root, restarts, clean down', {
  skip,
}, async (t) => {
  await compose('up', '-d');
  await waitFor('container healthy', async () => (await health()) === 'healthy', 120_000, 500);

  await t.test('budget is the container memory limit', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/stack`, auth);
    const body = (await res.json()) as { budgetBytes?: number; budget?: { bytes?: number } };
    assert.match(JSON.stringify(body), new RegExp(String(limitBytes)));
  });

  await t.test('sensor data is queryable through edgewatch', async () => {
    await waitFor(
      'sensor series',
      async () => (await query('sensor_temperature_celsius')).length > 0,
      60_000,
      1000,
    );
  });

  await t.test('read-only root filesystem, no process runs as root', async () => {
    const id = await container();
    assert.equal(await sh('docker', ['inspect', '-f', '{{.HostConfig.ReadonlyRootfs}}', id]), 'true');
    await assert.rejects(sh('docker', ['exec', id, 'touch', '/opt/edgewatch/x']));
    const uids = await sh('docker', ['exec', id, 'sh', '-c', "grep -h '^Uid:' /proc/[0-9]*/status"]);
    const real = uids.split('\n').map((line) => line.split(/\s+/)[1]);
    assert.ok(real.length >= 3, 'edgewatch, victoria-metrics and vmalert');
    assert.ok(
      real.every((uid) => uid !== '0'),
      uids,
    );
  });

  await t.test('docker stats within the limit under a short load', async () => {
    const stop = Date.now() + 5000;
    const workers = Array.from({ length: 4 }, async () => {
      while (Date.now() < stop) await (await fetch(`http://127.0.0.1:${port}/metrics`, auth)).arrayBuffer();
    });
    await Promise.all(workers);
    const stats = await sh('docker', [
      'stats',
      '--no-stream',
      '--format',
      '{{.MemUsage}}',
      await container(),
    ]);
    const [usage, limit] = stats.split(' / ').map(toBytes);
    assert.equal(limit, limitBytes);
    assert.ok((usage ?? Infinity) < limitBytes, stats);
  });

  await t.test('docker-compose restart keeps the data', async () => {
    const at = Math.floor(Date.now() / 1000) - 3;
    const before = await waitFor(
      'a stored sample',
      async () => {
        const r = await query('sensor_temperature_celsius', at);
        return r.length > 0 && r;
      },
      30_000,
      1000,
    );
    await compose('restart');
    await waitFor('healthy after restart', async () => (await health()) === 'healthy', 120_000, 500);
    assert.deepEqual(await query('sensor_temperature_celsius', at), before);
  });

  await t.test('SIGKILL of the container is followed by a restart (restart: unless-stopped)', async () => {
    const id = await container();
    const pid = await sh('docker', ['inspect', '-f', '{{.State.Pid}}', id]);
    process.kill(Number(pid), 'SIGKILL');
    await waitFor(
      'restarted',
      async () => Number(await sh('docker', ['inspect', '-f', '{{.RestartCount}}', id])) >= 1,
      60_000,
      500,
    );
    await waitFor('healthy after SIGKILL', async () => (await health()) === 'healthy', 120_000, 500);
  });

  await t.test('docker-compose down leaves nothing', async () => {
    await compose('down', '-v');
    assert.equal(await container(), '');
    const volumes = await sh('docker', [
      'volume',
      'ls',
      '-q',
      '--filter',
      `label=com.docker.compose.project=${project}`,
    ]);
    assert.equal(volumes, '');
  });
});

function toBytes(text: string): number {
  const m = /^([\d.]+)\s*([KMG]i?B|B)$/.exec(text.trim());
  if (!m) return Number.NaN;
  const unit = { B: 1, KiB: 1024, MiB: MiB, GiB: 1024 * MiB, KB: 1e3, MB: 1e6, GB: 1e9 }[m[2] as string] ?? 1;
  return Number(m[1]) * unit;
}
