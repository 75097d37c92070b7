/**
 * Nothing outside the dashboard's files is ever served, however the path is spelled; clients that
 * trickle a request byte by byte, or connect and send nothing, are cut off at web.request-timeout
 * while others are served.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dashboardRoutes } from '../../src/http/static-assets.js';
import { httpGet } from '../helpers/net.js';
import { type RouteServer, serveRoutes } from '../helpers/route-server.js';
import { type SensorUnderTest, startSensor } from '../helpers/sensor-process.js';
import { SysfsTree } from '../helpers/sysfs-tree.js';
import { waitFor } from '../helpers/wait.js';

const SECRET = 'secret-outside-the-dashboard';

/** One raw request, exactly as written (no client-side normalisation of `..`); the whole answer. */
function rawRequest(port: number, target: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const done = () =>
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0), text: received });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    socket.on('close', done);
    socket.on('error', done);
    socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`, 'latin1');
  });
}

describe('path traversal against the dashboard files', () => {
  let root: string;
  let server: RouteServer;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'edgewatch-traversal-'));
    const dist = join(root, 'dist', 'dashboard');
    await mkdir(join(dist, 'assets'), { recursive: true });
    await writeFile(join(dist, 'index.html'), '<!doctype html><title>edgewatch</title>');
    await writeFile(join(dist, 'assets', 'app-ABC.js'), 'console.log(1)');
    await writeFile(join(dist, 'queries.json'), '{}');
    // Files a traversal would reach: next to the dashboard, above it, and a symlink-free absolute path.
    await writeFile(join(root, 'dist', 'secret.txt'), SECRET);
    await writeFile(join(dist, 'secret.txt'), SECRET);
    await writeFile(join(dist, 'assets', '.hidden'), SECRET);
    server = await serveRoutes(await dashboardRoutes(dist));
  });

  after(async () => {
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  const spellings = [
    '/assets/../secret.txt',
    '/assets/../../secret.txt',
    '/assets/%2e%2e/secret.txt',
    '/assets/%2e%2e%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/assets/%252e%252e/secret.txt',
    '/assets/..\\secret.txt',
    '/assets/..%5csecret.txt',
    '/assets/.hidden',
    '/assets/app-ABC.js/../../secret.txt',
    '/assets/app-ABC.js%00.txt',
    '/secret.txt',
    '//secret.txt',
    '/./secret.txt',
    '/assets/./../secret.txt',
    `/assets/${'../'.repeat(20)}etc/passwd`,
    '/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/assets/\u00c0\u00ae\u00c0\u00ae/secret.txt',
  ];
  for (const target of spellings) {
    it(`never serves ${JSON.stringify(target)}`, async () => {
      const { status, text } = await rawRequest(Number(new URL(server.url).port), target);
      assert.ok(status >= 400 && status < 500, `answered ${status}`);
      assert.ok(!text.includes(SECRET), 'served a file outside the dashboard');
      assert.ok(!text.includes('root:x:0:0'), 'served /etc/passwd');
    });
  }

  it('still serves the dashboard itself', async () => {
    assert.equal((await rawRequest(Number(new URL(server.url).port), '/assets/app-ABC.js')).status, 200);
    assert.equal((await rawRequest(Number(new URL(server.url).port), '/')).status, 200);
  });
});

describe('slow clients', () => {
  const sysfs = new SysfsTree().typicalBox();
  let sensor: SensorUnderTest;

  before(async () => {
    sensor = await startSensor(sysfs, ['--web.request-timeout=1s', '--web.max-connections=16']);
  });
  after(async () => {
    await sensor?.stop();
    sysfs.remove();
  });

  it('cuts off connections that never send a request, so idle sockets cannot hold every connection', async () => {
    const idle: Socket[] = [];
    const closed = new Set<Socket>();
    for (let i = 0; i < 16; i++) {
      const socket = connect(sensor.port, '127.0.0.1');
      socket.on('close', () => closed.add(socket));
      socket.on('error', () => {});
      idle.push(socket);
    }
    try {
      await waitFor('every idle connection to be closed', () => closed.size === idle.length, 15_000, 50);
      assert.equal((await httpGet(`${sensor.base}/sensor`)).status, 200);
    } finally {
      for (const socket of idle) socket.destroy();
    }
  });

  it('cuts off clients trickling their headers at web.request-timeout and serves others meanwhile', async () => {
    // As many trickling clients as the connection cap allows, minus room for the checks below.
    const slow: Socket[] = [];
    const closed = new Set<Socket>();
    for (let i = 0; i < 12; i++) {
      const socket = connect(sensor.port, '127.0.0.1');
      socket.on('close', () => closed.add(socket));
      socket.on('error', () => {});
      socket.write('GET /sensor HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      slow.push(socket);
    }
    const trickle = setInterval(() => {
      for (const socket of slow) if (!closed.has(socket)) socket.write('X-Slow: 1\r\n');
    }, 200);
    try {
      assert.equal((await httpGet(`${sensor.base}/healthz`)).status, 200);
      await waitFor(
        'every trickling client to be disconnected',
        () => closed.size === slow.length,
        15_000,
        50,
      );
      // The freed connections serve again.
      for (let i = 0; i < 14; i++) assert.equal((await httpGet(`${sensor.base}/sensor`)).status, 200);
    } finally {
      clearInterval(trickle);
      for (const socket of slow) socket.destroy();
    }
  });
});
