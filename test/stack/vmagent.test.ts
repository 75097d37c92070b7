/**
 * prepareStack with and without remote_write: no endpoint leaves the stack as it was; endpoints
 * add vmagent as the scraper, with every per-URL flag lined up with its URL.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { commands } from '../../src/cli/commands/index.js';
import { loadConfig } from '../../src/config/load.js';
import { prepareStack, writeStackConfig } from '../../src/stack/components.js';
import { freePort } from '../helpers/net.js';
import { waitFor } from '../helpers/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'ew-vmagent-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const up = commands.find((c) => c.name === 'up');

function prepare(yaml: string) {
  const file = join(dir, `c${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(file, yaml);
  const { config } = loadConfig({
    options: up?.options ?? [],
    argv: [`--config.file=${file}`, `--storage.path=${dir}`],
    env: {},
  });
  return prepareStack(config);
}

const flags = (args: readonly string[], name: string) =>
  args.filter((a) => a.startsWith(`-${name}=`)).map((a) => a.slice(name.length + 2));

describe('the stack with remote_write', () => {
  it('is unchanged without an endpoint: no vmagent, VictoriaMetrics scrapes', () => {
    const stack = prepare('budget: {memory: 300MiB}\n');
    assert.deepEqual(
      stack.components.map((c) => c.name),
      ['victoriametrics', 'vmalert'],
    );
    assert.ok(stack.components[0]?.args.some((a) => a.startsWith('-promscrape.config=')));
    assert.equal(stack.plan.allowances.vmagent, undefined);
    assert.ok(!stack.files.some((f) => f.path.includes('relabel')));
  });

  it('runs vmagent as the scraper, each URL with its own settings, device labels for endpoints only', () => {
    const token = join(dir, 'token');
    writeFileSync(token, 't');
    const stack = prepare(`
remote_write:
  - url: https://a.example/api/v1/write
    bearer_token_file: ${token}
    max_disk_usage: 2GiB
  - url: https://b.example/api/v1/write
    basic_auth: {username: box, password_file: ${token}}
device: {site: s1}
uplink: {jobs: [edgewatch, vmagent]}
`);
    const [vm, , vmagent] = stack.components;
    assert.equal(vmagent?.name, 'vmagent');
    assert.ok(!vm?.args.some((a) => a.startsWith('-promscrape.config=')), "VictoriaMetrics' scraper is off");
    const args = vmagent?.args ?? [];
    const urls = flags(args, 'remoteWrite.url');
    assert.equal(urls.length, 3);
    assert.equal(urls[0], '"http://127.0.0.1:8428/api/v1/write"');
    assert.deepEqual(flags(args, 'remoteWrite.bearerTokenFile'), ['""', JSON.stringify(token), '""']);
    assert.deepEqual(flags(args, 'remoteWrite.basicAuth.username'), ['""', '""', '"box"']);
    const relabel = flags(args, 'remoteWrite.urlRelabelConfig');
    assert.equal(relabel.length, 3);
    assert.match(relabel[0] as string, /local-relabel/);
    const endpointsFile = stack.files.find((f) => f.path === JSON.parse(relabel[1] as string));
    assert.match(endpointsFile?.text ?? '', /regex: "edgewatch\|vmagent"\n {2}action: keep/);
    assert.match(endpointsFile?.text ?? '', /target_label: "site"\n {2}replacement: "s1"/);
    assert.deepEqual(flags(args, 'remoteWrite.rateLimit'), ['0', '262144', '262144']);
    assert.deepEqual(flags(args, 'remoteWrite.maxDiskUsagePerURL'), ['1GiB']);
    assert.equal(stack.plan.allowances.vmagent, 32 * 1024 ** 2);
    assert.match(stack.files.find((f) => f.path.endsWith('scrape.yml'))?.text ?? '', /job_name: "vmagent"/);
  });

  it('lines every per-URL setting up with its URL as vmagent itself reads the flags', async () => {
    const token = join(dir, 'token2');
    writeFileSync(token, 't');
    const stack = prepare(`
remote_write:
  - url: http://127.0.0.1:9/api/v1/write
  - url: http://127.0.0.1:10/api/v1/write
    basic_auth: {username: box, password_file: ${token}}
    tls: {server_name: central}
`);
    await writeStackConfig(stack);
    const spec = stack.components.find((c) => c.name === 'vmagent');
    assert.ok(spec);
    const port = await freePort();
    const args = spec.args.map((a) =>
      a.startsWith('-httpListenAddr=') ? `-httpListenAddr=127.0.0.1:${port}` : a,
    );
    const child = spawn(spec.binary, args, { stdio: 'ignore' });
    try {
      const text = await waitFor(
        'vmagent /metrics',
        async () => {
          if (child.exitCode !== null) throw new Error(`vmagent exited ${child.exitCode}`);
          return (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        },
        10_000,
        100,
      );
      // vmagent's own view: one entry per URL, empty for the local one and the first endpoint.
      assert.match(text, /flag\{name="remoteWrite\.basicAuth\.username", value=",,box"/);
      assert.match(text, /flag\{name="remoteWrite\.tlsServerName", value=",,central"/);
    } finally {
      // Wait for the exit: a vmagent still stopping would write its queue into the removed dir.
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    }
  });
});
