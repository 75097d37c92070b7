import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { queryLoad, scrapeLoad } from '../../src/verify/verify-load.js';

let baseUrl: string;
const seen: string[] = [];
const sockets = new Set<unknown>();
const server = createServer((req, res) => {
  seen.push(req.url ?? '');
  sockets.add(req.socket);
  res.writeHead(req.url === '/broken' ? 500 : 200).end('ok');
});

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

test('scrape load alternates paths over a few kept-alive connections and counts failures', async () => {
  seen.length = 0;
  sockets.clear();
  const count = await scrapeLoad({
    baseUrl,
    paths: ['/metrics', '/broken'],
    connections: 2,
    until: performance.now() + 300,
  });
  assert.ok(count.ok > 10, `ok: ${count.ok}`);
  assert.ok(Math.abs(count.ok - count.failed) <= 2, `${count.ok} ok vs ${count.failed} failed`);
  assert.deepEqual(count.errors, ['/broken: HTTP 500']);
  assert.equal(sockets.size, 2, 'one socket per connection, reused');
});

test('an aborted signal ends the load early', async () => {
  const controller = new AbortController();
  controller.abort();
  const count = await scrapeLoad({
    baseUrl,
    paths: ['/metrics'],
    connections: 2,
    until: performance.now() + 60_000,
    signal: controller.signal,
  });
  assert.equal(count.ok + count.failed, 0);
});

test('query load asks every query as a range over the window, once per interval', async () => {
  seen.length = 0;
  const count = await queryLoad({
    baseUrl,
    queries: ['up', 'sensor_temperature_celsius'],
    rangeSeconds: 900,
    stepSeconds: 15,
    intervalMs: 100,
    until: performance.now() + 250,
  });
  assert.equal(count.failed, 0);
  assert.ok(count.ok >= 4 && count.ok <= 8, `ok: ${count.ok}`);
  const params = new URL(seen[0] ?? '', baseUrl).searchParams;
  assert.equal(new URL(seen[0] ?? '', baseUrl).pathname, '/api/v1/query_range');
  assert.equal(params.get('query'), 'up');
  assert.equal(Number(params.get('end')) - Number(params.get('start')), 900);
  assert.equal(params.get('step'), '15');
});
