/**
 * The load `edgewatch verify` puts on the stack: scrapers hammering /metrics and /sensor over a
 * few keep-alive connections, as fast as the CPU quota lets the stack answer, and a dashboard
 * asking VictoriaMetrics for range queries every second.
 *
 * node:http with an Agent rather than fetch: the load generator runs outside the cgroup, and a
 * plain request loop measures the stack, not undici's pool.
 */
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** A request slower than this counts as failed: no scraper waits longer. */
const REQUEST_TIMEOUT_MS = 10_000;

export interface LoadCount {
  ok: number;
  failed: number;
  /** The first few distinct failure reasons, for the report. */
  errors: string[];
}

const MAX_ERRORS_KEPT = 5;

function newCount(): LoadCount {
  return { ok: 0, failed: 0, errors: [] };
}

function fail(count: LoadCount, reason: string): void {
  count.failed++;
  if (count.errors.length < MAX_ERRORS_KEPT && !count.errors.includes(reason)) count.errors.push(reason);
}

/** GET `url` and drain the body; resolves with the status, or an error message. */
function get(agent: Agent, url: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(url, { agent, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', (err) => resolve(err.message));
      res.resume();
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', (err) => resolve(err.message));
    req.end();
  });
}

async function record(count: LoadCount, agent: Agent, url: string): Promise<void> {
  const outcome = await get(agent, url);
  if (typeof outcome === 'number' && outcome >= 200 && outcome < 300) count.ok++;
  else fail(count, `${new URL(url).pathname}: ${typeof outcome === 'number' ? `HTTP ${outcome}` : outcome}`);
}

export interface ScrapeLoadOptions {
  /** e.g. http://127.0.0.1:8000 */
  baseUrl: string;
  paths: readonly string[];
  connections: number;
  /** performance.now() at which to stop. */
  until: number;
  /** Stops early (Ctrl-C). */
  signal?: AbortSignal;
}

const running = (until: number, signal: AbortSignal | undefined) =>
  performance.now() < until && !signal?.aborted;

/** `connections` loops, each requesting the paths in turn back to back on its own socket. */
export async function scrapeLoad({
  baseUrl,
  paths,
  connections,
  until,
  signal,
}: ScrapeLoadOptions): Promise<LoadCount> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const count = newCount();
  const loop = async (offset: number) => {
    for (let i = offset; running(until, signal); i++) {
      await record(count, agent, `${baseUrl}${paths[i % paths.length]}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: connections }, (_, i) => loop(i)));
  } finally {
    agent.destroy();
  }
  return count;
}

export interface QueryLoadOptions {
  baseUrl: string;
  /** PromQL expressions, each asked as a range query per round. */
  queries: readonly string[];
  rangeSeconds: number;
  stepSeconds: number;
  intervalMs: number;
  until: number;
  signal?: AbortSignal;
}

/** A dashboard refresh every `intervalMs`: every query over the last `rangeSeconds`, concurrently. */
export async function queryLoad(options: QueryLoadOptions): Promise<LoadCount> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.queries.length });
  const count = newCount();
  try {
    while (running(options.until, options.signal)) {
      const began = performance.now();
      const end = Date.now() / 1000;
      await Promise.all(
        options.queries.map((query) => {
          const params = new URLSearchParams({
            query,
            start: String(end - options.rangeSeconds),
            end: String(end),
            step: String(options.stepSeconds),
          });
          return record(count, agent, `${options.baseUrl}/api/v1/query_range?${params}`);
        }),
      );
      const wait = Math.min(
        options.intervalMs - (performance.now() - began),
        options.until - performance.now(),
      );
      if (wait > 0) await sleep(wait);
    }
  } finally {
    agent.destroy();
  }
  return count;
}
