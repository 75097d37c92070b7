/**
 * A central store for uplink tests, in the shape this machine allows: a second single-node
 * VictoriaMetrics (deduplicating at 1 ms, so a re-sent sample is kept once and counts stay exact)
 * behind vmauth with a bearer token, behind a gate: a tiny Node server that passes requests on,
 * or answers with a chosen status (a refusing central), or stops listening (the link is down).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChildProcess } from './child.js';
import { freePort } from './net.js';
import { waitFor } from './wait.js';

export type GateMode = 'pass' | 'down' | number;

export interface Central {
  /** The gate's write URL, what the box is configured with. */
  readonly writeUrl: string;
  /** The central VictoriaMetrics itself, for checks (no gate, no token). */
  readonly vmUrl: string;
  readonly tokenFile: string;
  readonly dir: string;
  /** Requests the gate answered with a refusal, by status. */
  readonly refused: Map<number, number>;
  setMode(mode: GateMode): Promise<void>;
  stop(): Promise<void>;
}

function spawnQuiet(binary: string, args: string[]): ChildProcess {
  return spawn(binary, args, { stdio: ['ignore', 'ignore', 'ignore'] });
}

export async function startCentral(): Promise<Central> {
  const dir = await mkdtemp(join(tmpdir(), 'edgewatch-central-'));
  const [vmPort, authPort, gatePort] = [await freePort(), await freePort(), await freePort()];
  const tokenFile = join(dir, 'token');
  await writeFile(tokenFile, 'box-token-1\n');
  await writeFile(
    join(dir, 'auth.yml'),
    `users:\n  - bearer_token: "box-token-1"\n    url_prefix: "http://127.0.0.1:${vmPort}"\n`,
  );
  const vm = spawnQuiet('victoria-metrics', [
    `-httpListenAddr=127.0.0.1:${vmPort}`,
    `-storageDataPath=${join(dir, 'data')}`,
    '-dedup.minScrapeInterval=1ms',
    '-search.latencyOffset=1s',
    '-search.disableCache',
    '-memory.allowedBytes=32MiB',
    '-loggerLevel=ERROR',
  ]);
  const vmauth = spawnQuiet('vmauth', [
    `-httpListenAddr=127.0.0.1:${authPort}`,
    `-auth.config=${join(dir, 'auth.yml')}`,
    '-loggerLevel=ERROR',
  ]);
  const vmUrl = `http://127.0.0.1:${vmPort}`;
  await waitFor('central VictoriaMetrics', async () => (await fetch(`${vmUrl}/health`)).ok, 20_000, 100);
  await waitFor(
    'vmauth',
    async () => (await fetch(`http://127.0.0.1:${authPort}/health`)).status > 0,
    20_000,
    100,
  );

  let mode: GateMode = 'pass';
  const refused = new Map<number, number>();
  const sockets = new Set<Socket>();
  const gate: Server = createServer((req, res) => {
    if (typeof mode === 'number') {
      refused.set(mode, (refused.get(mode) ?? 0) + 1);
      req.resume();
      res.writeHead(mode, { 'content-type': 'text/plain' }).end(`gate refuses with ${mode}\n`);
      return;
    }
    const upstream = request(
      { host: '127.0.0.1', port: authPort, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  gate.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const listen = () => new Promise<void>((resolve) => gate.listen(gatePort, '127.0.0.1', resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      gate.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
  await listen();

  return {
    writeUrl: `http://127.0.0.1:${gatePort}/api/v1/write`,
    vmUrl,
    tokenFile,
    dir,
    refused,
    async setMode(next) {
      const wasDown = mode === 'down';
      mode = next;
      if (next === 'down' && !wasDown) await close();
      if (next !== 'down' && wasDown) await listen();
    },
    async stop() {
      if (mode !== 'down') await close();
      await Promise.all([stopChildProcess(vmauth), stopChildProcess(vm)]);
      await rm(dir, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}
