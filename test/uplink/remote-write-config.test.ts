/** remote_write: and device: in the config file: what is accepted, and what is refused with exit 2 naming the key. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load.js';
import { EdgewatchError } from '../../src/errors.js';
import { uplinkOptions } from '../../src/uplink/options.js';
import { DEFAULT_MAX_DISK_USAGE, deriveImportUrl } from '../../src/uplink/remote-write-config.js';
import { runEdgewatch } from '../helpers/edgewatch.js';

const dir = mkdtempSync(join(tmpdir(), 'ew-remote-write-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const options = Object.values(uplinkOptions);

function loadYaml(yaml: string) {
  const file = join(dir, `c${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(file, yaml);
  return loadConfig({ options, argv: [`--config.file=${file}`], env: {} }).config;
}

function refused(yaml: string, ...fragments: string[]) {
  assert.throws(
    () => loadYaml(yaml),
    (err: unknown) => {
      assert.ok(err instanceof EdgewatchError, String(err));
      assert.equal(err.exitCode, 2);
      for (const f of fragments) assert.ok(err.message.includes(f), `"${err.message}" lacks "${f}"`);
      return true;
    },
  );
}

describe('remote_write and device configuration', () => {
  it('decodes endpoints with every setting, and derives the import URL', () => {
    const config = loadYaml(`
remote_write:
  - url: https://central.example/insert/0/prometheus/api/v1/write
    basic_auth: {username: box-1, password_file: /etc/edgewatch/pw}
    tls: {ca_file: /etc/ca.pem, cert_file: /etc/c.pem, key_file: /etc/k.pem, server_name: central, insecure_skip_verify: false}
    max_disk_usage: 2GiB
  - url: http://other.example:8428/api/v1/write
    bearer_token_file: /etc/token
device: {site: berlin-3, device: crane-12}
`);
    const [a, b] = config.get(uplinkOptions.remoteWrite);
    assert.deepEqual(a?.basicAuth, { username: 'box-1', passwordFile: '/etc/edgewatch/pw' });
    assert.equal(a?.tls?.serverName, 'central');
    assert.equal(a?.maxDiskUsageBytes, 2 * 1024 ** 3);
    assert.equal(a?.importUrl, 'https://central.example/insert/0/prometheus/api/v1/import');
    assert.equal(b?.bearerTokenFile, '/etc/token');
    assert.equal(b?.maxDiskUsageBytes, DEFAULT_MAX_DISK_USAGE);
    assert.deepEqual(config.get(uplinkOptions.device), { site: 'berlin-3', device: 'crane-12' });
  });

  it('gives a plain remote-write URL no import URL (no backfill)', () => {
    assert.equal(deriveImportUrl('https://prom.example/api/prom/push'), undefined);
  });

  it('defaults to no endpoint and no labels', () => {
    const config = loadYaml('uplink: {poll_interval: 5s}\n');
    assert.deepEqual(config.get(uplinkOptions.remoteWrite), []);
    assert.deepEqual(config.get(uplinkOptions.device), {});
  });

  it('refuses malformed endpoints, naming the key', () => {
    refused('remote_write: {url: http://x/api/v1/write}\n', 'remote_write', 'list');
    refused('remote_write:\n  - bearer_token_file: /t\n', 'remote_write[0].url is required');
    refused('remote_write:\n  - url: ftp://x/\n', 'remote_write[0].url', 'http');
    refused('remote_write:\n  - url: not a url\n', 'remote_write[0].url', 'not a URL');
    refused('remote_write:\n  - url: http://u:p@x/api/v1/write\n', 'credentials', 'password_file');
    refused('remote_write:\n  - url: http://x/a,b\n', 'comma');
    refused('remote_write:\n  - url: http://x/\n    tokn: 1\n', 'unknown key remote_write[0].tokn');
    refused(
      'remote_write:\n  - url: http://x/\n    bearer_token_file: /t\n    basic_auth: {username: u, password_file: /p}\n',
      'exclude each other',
    );
    refused(
      'remote_write:\n  - url: http://x/\n    basic_auth: {username: u, password: p}\n',
      'basic_auth.password',
    );
    refused('remote_write:\n  - url: http://x/\n    tls: {cert_file: /c}\n', 'cert_file and key_file');
    refused(
      'remote_write:\n  - url: http://x/\n    tls: {insecure_skip_verify: maybe}\n',
      'insecure_skip_verify',
    );
    refused('remote_write:\n  - url: http://x/\n    max_disk_usage: 10KiB\n', 'max_disk_usage', '1MiB');
    refused('remote_write:\n  - url: http://x/\n    max_disk_usage: lots\n', 'max_disk_usage');
    refused('remote_write:\n  - url: http://x/\n  - url: http://x/\n', 'remote_write[1].url repeats');
  });

  it('refuses bad device labels, naming the label', () => {
    refused('device: [a, b]\n', 'device must be a mapping');
    refused('device: {1site: x}\n', 'device.1site');
    refused('device: {__name__: x}\n', 'device.__name__');
    refused('device: {job: x}\n', 'device.job', 'the scrape sets job');
    refused('device: {site: ""}\n', 'device.site');
    refused('device: {site: {a: 1}}\n', 'device.site must be a string');
    refused(`device: {site: ${'x'.repeat(200)}}\n`, 'device.site');
  });

  it('makes edgewatch up exit 2 on an unreadable token file, before anything starts', async () => {
    const file = join(dir, 'missing-token.yml');
    writeFileSync(
      file,
      'remote_write:\n  - url: http://127.0.0.1:9/api/v1/write\n    bearer_token_file: /nonexistent/token\n',
    );
    const r = await runEdgewatch(['up', `--config.file=${file}`, `--storage.path=${join(dir, 'data')}`]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /remote_write\[0\]\.bearer_token_file: cannot read \/nonexistent\/token/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });
});
