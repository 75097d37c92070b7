/**
 * POST /api/query_batch against a real VictoriaMetrics: several queries answered in one request,
 * in order; one bad query fails its entry only; a refused batch is a 4xx naming the query; a
 * VictoriaMetrics that is gone or stuck fails every entry within the deadline the page asked for.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { QueryBatchRequestJson, QueryBatchResponseJson } from '../../src/api/types.js';
import { MAX_BATCH_QUERIES } from '../../src/http/query-params.js';
import { createQueryProxy } from '../../src/http/query-proxy.js';
import { freePort } from '../helpers/net.js';
import { type ProxyFixture, proxyOverVictoriaMetrics } from '../helpers/proxy-fixture.js';
import { type RouteServer, serveRoutes } from '../helpers/route-server.js';

const limits = { maxRangeMs: 31 * 86_400_000, maxPoints: 11_000, timeoutMs: 5000 };

async function batch(
  base: string,
  body: unknown,
  type = 'application/json',
): Promise<{ status: number; json: Record<string, unknown> & Partial<QueryBatchResponseJson> }> {
  const res = await fetch(`${base}/api/query_batch`, {
    method: 'POST',
    headers: { 'content-type': type },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const end = () => Math.floor(Date.now() / 1000);
const range = (query: string) => ({
  endpoint: '/api/v1/query_range',
  params: { query, start: String(end() - 300), end: String(end()), step: '15' },
});
const instant = (query: string) => ({ endpoint: '/api/v1/query', params: { query } });

describe('query batch against VictoriaMetrics', () => {
  let fixture: ProxyFixture;
  let server: RouteServer;

  before(async () => {
    fixture = await proxyOverVictoriaMetrics('batch_metric', limits);
    ({ server } = fixture);
  });

  after(async () => {
    await fixture?.close();
  });

  test('range and instant queries in one request, answered in the order asked', async () => {
    const body: QueryBatchRequestJson = {
      queries: [range('batch_metric'), instant('batch_metric'), instant('absent_metric_xyz')],
    };
    const { status, json } = await batch(server.url, body);
    assert.equal(status, 200, JSON.stringify(json));
    const [r, i, none] = json.results ?? [];
    assert.equal(r?.status, 'success');
    assert.equal(r?.status === 'success' && r.data.resultType, 'matrix');
    assert.equal(i?.status === 'success' && i.data.resultType, 'vector');
    const vector = i?.status === 'success' ? (i.data.result as Array<{ value: [number, string] }>) : [];
    assert.equal(vector[0]?.value[1], '2', 'the latest sample');
    assert.deepEqual(none?.status === 'success' && none.data.result, []);
  });

  test('a query VictoriaMetrics refuses fails its entry only', async () => {
    const { status, json } = await batch(server.url, {
      queries: [instant('sum(('), instant('batch_metric')],
    });
    assert.equal(status, 200);
    assert.equal(json.results?.[0]?.status, 'error');
    assert.equal(json.results?.[1]?.status, 'success');
  });

  test('refuses a batch that is not one, too large, or asks a closed endpoint, naming the query', async () => {
    const cases: Array<[unknown, number, string, RegExp]> = [
      ['not json', 400, 'bad_batch', /not valid JSON/],
      [{ q: [] }, 400, 'bad_batch', /queries/],
      [{ queries: [{ endpoint: '/api/v1/query', params: { query: 1 } }] }, 400, 'bad_batch', /queries\[0\]/],
      [
        { queries: Array.from({ length: MAX_BATCH_QUERIES + 1 }, () => instant('up')) },
        400,
        'too_many_queries',
        new RegExp(`limit is ${MAX_BATCH_QUERIES}`),
      ],
      [
        { queries: [instant('up'), { endpoint: '/api/v1/admin/tsdb/delete_series', params: {} }] },
        403,
        'forbidden_endpoint',
        /queries\[1\]/,
      ],
      [
        { queries: [instant('up'), { endpoint: '/api/v1/query_range', params: { query: 'up' } }] },
        400,
        'missing_parameter',
        /queries\[1\]: parameter start is required/,
      ],
    ];
    for (const [body, code, error, message] of cases) {
      const { status, json } = await batch(server.url, body);
      assert.equal(status, code, JSON.stringify(body).slice(0, 80));
      assert.equal(json.error, error);
      assert.match(String(json.message), message);
    }
    const form = await batch(server.url, 'query=up', 'application/x-www-form-urlencoded');
    assert.equal(form.status, 415);
  });
});

const errorCodes = (json: Partial<QueryBatchResponseJson>) =>
  json.results?.map((r) => r.status === 'error' && r.code);

describe('query batch upstream failures', () => {
  test('unreachable VictoriaMetrics fails every entry with upstream_unavailable', async () => {
    const port = await freePort();
    const server = await serveRoutes(createQueryProxy({ upstream: `http://127.0.0.1:${port}`, ...limits }));
    try {
      const { status, json } = await batch(server.url, { queries: [instant('up'), range('up')] });
      assert.equal(status, 200);
      assert.deepEqual(errorCodes(json), ['upstream_unavailable', 'upstream_unavailable']);
    } finally {
      await server.close();
    }
  });

  test('a stuck VictoriaMetrics fails every entry at the deadline the query asked for', async () => {
    // Reads the request and never answers, as a SIGSTOPped VictoriaMetrics does.
    const stuck: Server = createServer(() => {});
    await new Promise<void>((resolve) => stuck.listen(0, '127.0.0.1', resolve));
    const upstream = `http://127.0.0.1:${(stuck.address() as AddressInfo).port}`;
    // query.timeout is a minute; the page asks for 300 ms and gets its answer then.
    const server = await serveRoutes(createQueryProxy({ upstream, ...limits, timeoutMs: 60_000 }));
    try {
      const withTimeout = (q: { endpoint: string; params: Record<string, string> }) => ({
        ...q,
        params: { ...q.params, timeout: '300ms' },
      });
      const { status, json } = await batch(server.url, {
        queries: [withTimeout(instant('up')), withTimeout(range('up'))],
      });
      assert.equal(status, 200);
      assert.deepEqual(errorCodes(json), ['upstream_timeout', 'upstream_timeout']);
    } finally {
      await server.close();
      stuck.closeAllConnections();
      await new Promise((resolve) => stuck.close(resolve));
    }
  });
});
