/**
 * `edgewatch verify` never sends its synthetic data to a real central: the verified config's
 * remote_write endpoints go to a loopback sink instead (src/verify/verify-uplink.ts), while
 * vmagent still runs and is measured.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import type { VerifyReport } from '../../src/verify/verify-report.js';
import { sinkRemoteWrite } from '../../src/verify/verify-uplink.js';
import { startCentral } from '../helpers/central.js';
import { cannotRun, verify } from '../helpers/verify-run.js';

describe('verify and remote_write', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'edgewatch-verify-uplink-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('passes a config without remote_write on as it is', async () => {
    const plain = join(dir, 'plain.yml');
    await writeFile(plain, 'sensor:\n  interval: 2s\n');
    for (const file of ['', plain]) {
      const sink = await sinkRemoteWrite(file, dir);
      assert.deepEqual([sink.configFile, sink.endpoints], [file, 0]);
      await sink.close();
    }
  });

  it('swaps every endpoint for the sink, keeping the caps and the rest of the config', async () => {
    const file = join(dir, 'box.yml');
    await writeFile(
      file,
      [
        'remote_write:',
        '  - url: https://central.example/api/v1/write',
        '    bearer_token_file: /nonexistent/token',
        '    max_disk_usage: 64MiB',
        '  - url: https://other.example/api/v1/write',
        'device: {site: s1, device: d1}',
        'sensor: {interval: 2s}',
        '',
      ].join('\n'),
    );
    const sink = await sinkRemoteWrite(file, dir);
    try {
      assert.equal(sink.endpoints, 2);
      const copy = parse(await readFile(sink.configFile, 'utf8')) as Record<string, unknown>;
      const endpoints = copy.remote_write as Array<Record<string, unknown>>;
      assert.deepEqual(
        endpoints.map((e) => [new URL(e.url as string).hostname, e.max_disk_usage, e.bearer_token_file]),
        [
          ['127.0.0.1', '64MiB', undefined],
          ['127.0.0.1', undefined, undefined],
        ],
      );
      assert.notEqual(endpoints[0]?.url, endpoints[1]?.url, 'a queue per endpoint, as configured');
      assert.deepEqual([copy.device, copy.sensor], [{ site: 's1', device: 'd1' }, { interval: '2s' }]);
      const res = await fetch(endpoints[0]?.url as string, { method: 'POST', body: 'x'.repeat(100) });
      assert.equal(res.status, 204);
      assert.deepEqual(sink.received(), { requests: 1, bytes: 100 });
    } finally {
      await sink.close();
    }
  });

  it('a real verify with remote_write runs vmagent, and the central receives nothing', async (t) => {
    const reason = await cannotRun();
    if (reason) return t.skip(reason);
    const central = await startCentral();
    try {
      const file = join(dir, 'central.yml');
      await writeFile(
        file,
        [
          'remote_write:',
          `  - url: ${JSON.stringify(central.writeUrl)}`,
          `    bearer_token_file: ${JSON.stringify(central.tokenFile)}`,
          'device: {site: verify-site, device: verify-box}',
          '',
        ].join('\n'),
      );
      const run = await verify(['--duration', '5s', `--config.file=${file}`]);
      const report = JSON.parse(run.stdout) as VerifyReport;
      assert.equal(run.code, 0, JSON.stringify(report.checks));
      assert.ok((report.memory.componentPssBytes.vmagent ?? 0) > 1e6, 'vmagent ran and was measured');
      // What the central ingested over remote write or import: its own counter, no flush to wait for.
      const metrics = await (await fetch(`${central.vmUrl}/metrics`)).text();
      const inserted = metrics
        .split('\n')
        .filter((l) => /^vm_rows_inserted_total\{type="(promremotewrite|vmimport)"\}/.test(l))
        .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
      assert.equal(inserted, 0, 'nothing of the verify run reached the central');
      const sunk = run.stderr
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg: string; requests?: number })
        .find((r) => r.msg === 'remote_write went to a loopback sink');
      assert.ok((sunk?.requests ?? 0) > 0, `vmagent sent to the sink: ${JSON.stringify(sunk)}`);
      t.diagnostic(`sink: ${sunk?.requests} requests discarded; central rows inserted: ${inserted}`);
    } finally {
      await central.stop();
    }
  });
});
