/** The dashboard's static files: served from memory with ETags, gzip and the right caching. */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { dashboardRoutes } from '../../src/http/static-assets.js';
import { type RouteServer, serveRoutes } from '../helpers/route-server.js';

const html = `<!doctype html><html><head><script src="/assets/app-ABC.js"></script></head><body>${'x'.repeat(500)}</body></html>`;
const js = `console.log(${JSON.stringify('y'.repeat(2000))});`;

/** Raw GET without fetch's automatic decompression, to see exactly what was sent. */
async function get(url: string, headers: Record<string, string> = {}) {
  const { request } = await import('node:http');
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: Buffer;
  }>((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    })
      .on('error', reject)
      .end();
  });
}

describe('dashboard static assets', () => {
  let dir: string;
  let server: RouteServer;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'edgewatch-dash-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), html);
    await writeFile(join(dir, 'assets', 'app-ABC.js'), js);
    await writeFile(join(dir, 'queries.json'), '{}');
    server = await serveRoutes(await dashboardRoutes(dir));
  });

  after(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('/ serves index.html, revalidated every time, with a restrictive CSP', async () => {
    const res = await get(`${server.url}/`);
    assert.equal(res.status, 200);
    assert.equal(res.body.toString(), html);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.match(String(res.headers['content-security-policy']), /default-src 'self'/);
    assert.match(String(res.headers.etag), /^"[\w-]+"$/);
  });

  test('304 when If-None-Match holds the current ETag', async () => {
    const first = await get(`${server.url}/`);
    const again = await get(`${server.url}/`, { 'if-none-match': String(first.headers.etag) });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    const weak = await get(`${server.url}/`, { 'if-none-match': `"other", W/${first.headers.etag}` });
    assert.equal(weak.status, 304);
    const stale = await get(`${server.url}/`, { 'if-none-match': '"old"' });
    assert.equal(stale.status, 200);
  });

  test('hashed assets are gzipped when accepted and cached for a year', async () => {
    const res = await get(`${server.url}/assets/app-ABC.js`, { 'accept-encoding': 'br, gzip' });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-encoding'], 'gzip');
    assert.equal(res.headers.vary, 'Accept-Encoding');
    assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(res.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(gunzipSync(res.body).toString(), js);
    const gzEtag = String(res.headers.etag);
    assert.equal((await get(`${server.url}/assets/app-ABC.js`, { 'if-none-match': gzEtag })).status, 304);

    const plain = await get(`${server.url}/assets/app-ABC.js`, { 'accept-encoding': 'gzip;q=0' });
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.body.toString(), js);
    assert.notEqual(plain.headers.etag, gzEtag, 'each encoding has its own ETag');
  });

  test('HEAD sends headers only; unknown assets and files outside assets/ are 404', async () => {
    const head = await fetch(`${server.url}/assets/app-ABC.js`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal((await head.arrayBuffer()).byteLength, 0);
    assert.equal((await get(`${server.url}/assets/missing.js`)).status, 404);
    assert.equal((await get(`${server.url}/queries.json`)).status, 404);
    assert.equal((await get(`${server.url}/assets/..%2fqueries.json`)).status, 404);
  });

  test('a missing build answers 503 dashboard_not_built instead of crashing', async () => {
    const missing = await serveRoutes(await dashboardRoutes(join(dir, 'nope')));
    try {
      for (const path of ['/', '/assets/app.js']) {
        const res = await fetch(`${missing.url}${path}`);
        assert.equal(res.status, 503);
        assert.equal(((await res.json()) as { error: string }).error, 'dashboard_not_built');
      }
    } finally {
      await missing.close();
    }
  });
});
