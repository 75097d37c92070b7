/**
 * The query proxy against a real VictoriaMetrics: the five read endpoints work (GET and POST),
 * everything else under /api/v1/ is refused before it reaches the database, and over-limit
 * queries are refused with 400 and a code naming the limit.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { MAX_QUERY_BYTES } from '../../src/http/query-params.js';
import { createQueryProxy, type QueryProxyOptions } from '../../src/http/query-proxy.js';
import { freePort } from '../helpers/net.js';
import { type ProxyFixture, proxyOverVictoriaMetrics } from '../helpers/proxy-fixture.js';
import { type RouteServer, serveRoutes } from '../helpers/route-server.js';
import type { VictoriaMetrics } from '../helpers/victoria-metrics.js';

const DAY_MS = 86_400_000;
const limits = { maxRangeMs: 31 * DAY_MS, maxPoints: 11_000, timeoutMs: 5000 };

interface Answer {
  status: number;
  headers: Headers;
  json: Record<string, unknown>;
}

async function call(base: string, path: string, init?: RequestInit): Promise<Answer> {
  const res = await fetch(`${base}${path}`, init);
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    assert.fail(`${path}: body is not JSON: ${text.slice(0, 200)}`);
  }
  return { status: res.status, headers: res.headers, json };
}

function form(params: Record<string, string>): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  };
}

const nowSec = () => Math.floor(Date.now() / 1000);

describe('query proxy against VictoriaMetrics', () => {
  let fixture: ProxyFixture;
  let vm: VictoriaMetrics;
  let server: RouteServer;

  before(async () => {
    fixture = await proxyOverVictoriaMetrics('proxy_test_metric', limits);
    ({ vm, server } = fixture);
  });

  after(async () => {
    await fixture?.close();
  });

  test('instant query by GET and by POST', async () => {
    for (const init of [undefined, form({ query: 'proxy_test_metric' })]) {
      const path = init ? '/api/v1/query' : '/api/v1/query?query=proxy_test_metric';
      const { status, json } = await call(server.url, path, init);
      assert.equal(status, 200, JSON.stringify(json));
      assert.equal(json.status, 'success');
      const data = json.data as { result: Array<{ metric: Record<string, string> }> };
      assert.equal(data.result[0]?.metric.room, 'shed');
    }
  });

  test('range query with unix seconds and with RFC 3339 times', async () => {
    const end = nowSec();
    const variants = [
      { start: String(end - 300), end: String(end), step: '15s' },
      {
        start: new Date((end - 300) * 1000).toISOString(),
        end: new Date(end * 1000).toISOString(),
        step: '15',
      },
    ];
    for (const v of variants) {
      const { status, json } = await call(
        server.url,
        `/api/v1/query_range?${new URLSearchParams({ query: 'proxy_test_metric', ...v })}`,
      );
      assert.equal(status, 200, JSON.stringify(json));
      const data = json.data as { resultType: string; result: Array<{ values: unknown[] }> };
      assert.equal(data.resultType, 'matrix');
      assert.ok((data.result[0]?.values.length ?? 0) > 0);
    }
  });

  test('series, labels and label values', async () => {
    const series = await call(
      server.url,
      `/api/v1/series?${new URLSearchParams({ 'match[]': 'proxy_test_metric' })}`,
    );
    assert.equal(series.status, 200);
    assert.deepEqual(series.json.data, [{ __name__: 'proxy_test_metric', room: 'shed' }]);

    const labels = await call(server.url, '/api/v1/labels', form({ 'match[]': 'proxy_test_metric' }));
    assert.equal(labels.status, 200);
    assert.ok((labels.json.data as string[]).includes('room'));

    const values = await call(server.url, '/api/v1/label/room/values');
    assert.equal(values.status, 200);
    assert.deepEqual(values.json.data, ['shed']);
  });

  test('refuses every endpoint outside the read-only list with 403 forbidden_endpoint', async () => {
    const match = new URLSearchParams({ 'match[]': 'proxy_test_metric' });
    const refused: Array<[string, string, string?]> = [
      ['POST', '/api/v1/import', '{"metric":{"__name__":"proxy_injected"},"values":[1],"timestamps":[1]}'],
      ['POST', '/api/v1/import/prometheus', 'proxy_injected 1'],
      ['POST', '/api/v1/import/csv', 'x'],
      ['POST', '/api/v1/write', 'x'],
      ['GET', `/api/v1/export?${match}`],
      ['GET', `/api/v1/export/native?${match}`],
      ['POST', `/api/v1/admin/tsdb/delete_series?${match}`],
      ['GET', `/api/v1/admin/tsdb/delete_series?${match}`],
      ['POST', '/api/v1/admin/tsdb/snapshot'],
      ['GET', '/api/v1/status/tsdb'],
      ['GET', '/api/v1/status/active_queries'],
      ['GET', '/api/v1/status/top_queries'],
      ['GET', '/api/v1/targets'],
      ['GET', '/api/v1/rules'],
      ['DELETE', '/api/v1/admin/tsdb/delete_series'],
      ['PUT', '/api/v1/import'],
      ['GET', '/api/v1/label/room/other'],
      ['GET', '/api/v1/label/'],
    ];
    for (const [method, path, body] of refused) {
      const { status, json } = await call(server.url, path, { method, body });
      assert.equal(status, 403, `${method} ${path} → ${status} ${JSON.stringify(json)}`);
      assert.equal(json.error, 'forbidden_endpoint', `${method} ${path}`);
      assert.match(String(json.message), /read-only|label values/);
    }
    // The wrong method on an allowed path is 405, not a way through.
    const put = await call(server.url, '/api/v1/query', { method: 'PUT' });
    assert.equal(put.status, 405);
    assert.equal(put.headers.get('allow'), 'GET, POST, HEAD');

    // Nothing above reached the database: the data is intact and nothing was imported.
    await fetch(`${vm.url}/internal/force_flush`);
    const intact = await call(vm.url, '/api/v1/series?match[]=proxy_test_metric');
    assert.equal((intact.json.data as unknown[]).length, 1);
    const injected = await call(vm.url, '/api/v1/series?match[]={__name__=~"proxy_injected.*"}');
    assert.deepEqual(injected.json.data, []);
  });

  test('refuses over-limit and malformed queries with 400 and a code naming the problem', async () => {
    const end = nowSec();
    const range = (params: Record<string, string>) =>
      `/api/v1/query_range?${new URLSearchParams({ query: 'proxy_test_metric', ...params })}`;
    const cases: Array<[string, string, RequestInit | undefined, number, string, RegExp?]> = [
      [
        'query too long',
        `/api/v1/query?query=${'a'.repeat(MAX_QUERY_BYTES + 1)}`,
        undefined,
        400,
        'query_too_long',
        /4096/,
      ],
      [
        'query too long (POST)',
        '/api/v1/query',
        form({ query: `sum(${'x'.repeat(MAX_QUERY_BYTES)})` }),
        400,
        'query_too_long',
      ],
      ['missing query', '/api/v1/query', undefined, 400, 'missing_parameter', /query/],
      [
        'missing step',
        range({ start: String(end - 60), end: String(end) }),
        undefined,
        400,
        'missing_parameter',
        /step/,
      ],
      [
        'range over max-range',
        range({ start: String(end - 40 * 86_400), end: String(end), step: '1h' }),
        undefined,
        400,
        'range_too_long',
        /31d \(query\.max-range\)/,
      ],
      [
        'too many points',
        range({ start: String(end - 86_400), end: String(end), step: '1s' }),
        undefined,
        400,
        'too_many_points',
        /11000 \(query\.max-points\)/,
      ],
      [
        'bad start',
        range({ start: 'yesterday', end: String(end), step: '15s' }),
        undefined,
        400,
        'invalid_parameter',
        /start/,
      ],
      [
        'bad step',
        range({ start: String(end - 60), end: String(end), step: 'often' }),
        undefined,
        400,
        'invalid_parameter',
        /step/,
      ],
      [
        'zero step',
        range({ start: String(end - 60), end: String(end), step: '0' }),
        undefined,
        400,
        'invalid_parameter',
        /step/,
      ],
      [
        'end before start',
        range({ start: String(end), end: String(end - 60), step: '15s' }),
        undefined,
        400,
        'invalid_range',
      ],
      [
        'series over max-range',
        `/api/v1/series?${new URLSearchParams({ 'match[]': 'up', start: String(end - 40 * 86_400), end: String(end) })}`,
        undefined,
        400,
        'range_too_long',
      ],
      ['bad label name', '/api/v1/label/1room/values', undefined, 400, 'invalid_parameter'],
      ['bad timeout', '/api/v1/query?query=up&timeout=soon', undefined, 400, 'invalid_parameter', /timeout/],
      [
        'JSON body',
        '/api/v1/query',
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"up"}' },
        415,
        'unsupported_media_type',
      ],
      [
        'huge body',
        '/api/v1/query',
        form({ query: 'up', padding: 'x'.repeat(70_000) }),
        413,
        'payload_too_large',
      ],
    ];
    for (const [what, path, init, wantStatus, wantError, wantMessage] of cases) {
      const { status, json } = await call(server.url, path, init);
      assert.equal(status, wantStatus, `${what}: ${status} ${JSON.stringify(json)}`);
      assert.equal(json.error, wantError, what);
      if (wantMessage) assert.match(String(json.message), wantMessage, what);
    }
  });

  test('passes VictoriaMetrics errors through with its status', async () => {
    const { status, json } = await call(server.url, '/api/v1/query?query=rate(');
    assert.ok(status >= 400 && status < 500, `status ${status}`);
    assert.equal(json.status, 'error');
  });

  test('cuts off a response larger than maxResponseBytes', async () => {
    const small = await serveRoutes(createQueryProxy({ upstream: vm.url, ...limits, maxResponseBytes: 64 }));
    try {
      // Refused with 502 when the length is announced; otherwise the connection is cut, which
      // fails the request or its body. Either way the client never takes it for a whole answer.
      const outcome = await fetch(`${small.url}/api/v1/series?match[]=proxy_test_metric`)
        .then(async (res) => {
          if (res.status === 502) return `refused: ${((await res.json()) as { error: string }).error}`;
          await res.text();
          return 'whole';
        })
        .catch(() => 'cut off');
      assert.ok(outcome === 'cut off' || outcome === 'refused: response_too_large', outcome);
    } finally {
      await small.close();
    }
  });
});

describe('query proxy upstream failures', () => {
  test('unreachable upstream → 503 upstream_unavailable', async () => {
    const port = await freePort();
    const server = await serveRoutes(createQueryProxy({ upstream: `http://127.0.0.1:${port}`, ...limits }));
    try {
      const { status, json } = await call(server.url, '/api/v1/query?query=up');
      assert.equal(status, 503);
      assert.equal(json.error, 'upstream_unavailable');
    } finally {
      await server.close();
    }
  });

  test('upstream slower than timeoutMs → 504 upstream_timeout, and the upstream is told the deadline', async () => {
    let seenTimeout: string | null = null;
    // Reads the request and never answers, like a database stuck on a huge query.
    const stuck: Server = createServer((req) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c;
      });
      req.on('end', () => {
        seenTimeout = new URLSearchParams(body).get('timeout');
      });
    });
    await new Promise<void>((resolve) => stuck.listen(0, '127.0.0.1', resolve));
    const upstream = `http://127.0.0.1:${(stuck.address() as AddressInfo).port}`;
    const options: QueryProxyOptions = { upstream, ...limits, timeoutMs: 300 };
    const server = await serveRoutes(createQueryProxy(options));
    try {
      const started = Date.now();
      const { status, json } = await call(server.url, '/api/v1/query?query=up&timeout=1m');
      assert.equal(status, 504);
      assert.equal(json.error, 'upstream_timeout');
      assert.ok(Date.now() - started < 3000);
      assert.equal(seenTimeout, '300ms', 'a client cannot ask for more time than query.timeout');
    } finally {
      await server.close();
      stuck.closeAllConnections();
      await new Promise((resolve) => stuck.close(resolve));
    }
  });
});
