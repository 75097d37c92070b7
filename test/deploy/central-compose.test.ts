/**
 * deploy/central/: the cluster compose file as docker-compose reads it (no daemon needed for
 * `config`), and its vmauth.yml as the real vmauth loads it.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { repoRoot } from '../helpers/edgewatch.js';
import { freePort } from '../helpers/net.js';
import { waitFor } from '../helpers/wait.js';

const dir = `${repoRoot}deploy/central`;

interface Service {
  command?: string[];
  ports?: Array<{ published: number | string; target: number }>;
  image: string;
}

describe('central compose', () => {
  it('passes docker-compose config: 2 vmstorage, replication 2, dedup, only vmauth and Grafana published', () => {
    const r = spawnSync('docker-compose', ['-f', `${dir}/docker-compose.yml`, 'config'], {
      encoding: 'utf8',
    });
    assert.equal(r.error, undefined, 'docker-compose is installed (Debian package docker-compose)');
    assert.equal(r.status, 0, r.stderr);
    const services = (parse(r.stdout) as { services: Record<string, Service> }).services;
    assert.deepEqual(Object.keys(services).sort(), [
      'grafana',
      'vmauth',
      'vminsert',
      'vmselect',
      'vmstorage-1',
      'vmstorage-2',
    ]);
    assert.ok(services.vminsert?.command?.includes('-replicationFactor=2'));
    assert.equal(services.vminsert?.command?.filter((a) => a.startsWith('-storageNode=')).length, 2);
    for (const name of ['vmselect', 'vmstorage-1', 'vmstorage-2']) {
      assert.ok(services[name]?.command?.includes('-dedup.minScrapeInterval=15s'), `${name} deduplicates`);
    }
    const published = Object.entries(services)
      .filter(([, s]) => (s.ports ?? []).length > 0)
      .map(([name]) => name)
      .sort();
    assert.deepEqual(published, ['grafana', 'vmauth'], 'the cluster itself has no authentication');
  });

  it('ships a vmauth.yml vmauth loads, refusing a box without a token', async () => {
    const port = await freePort();
    const child = spawn(
      'vmauth',
      [`-auth.config=${dir}/vmauth.yml`, `-httpListenAddr=127.0.0.1:${port}`, '-loggerLevel=ERROR'],
      {
        stdio: 'ignore',
      },
    );
    try {
      const status = await waitFor(
        'vmauth to answer',
        async () => {
          if (child.exitCode !== null)
            throw new Error(`vmauth exited ${child.exitCode}: the config is invalid`);
          return (await fetch(`http://127.0.0.1:${port}/api/v1/write`, { method: 'POST', body: '' })).status;
        },
        10_000,
        100,
      );
      assert.equal(status, 401);
      assert.equal(child.exitCode, null);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
