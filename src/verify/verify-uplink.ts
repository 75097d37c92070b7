/**
 * verify never sends to a real central. The verified config's remote_write endpoints are swapped
 * for a sink on loopback that reads and discards every request (204), in a copy of the config
 * file in verify's temporary directory; everything else stays as the user wrote it. vmagent still
 * runs with as many endpoints, queues and max_disk_usage caps, so its memory is measured as in
 * production, but the run's synthetic data (and its backfill) goes nowhere.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { yamlPath } from '../config/option.js';
import { uplinkOptions } from '../uplink/options.js';

export interface UplinkSink {
  /** The config file `up` is given: the user's own, or the copy pointing at the sink. */
  readonly configFile: string;
  /** remote_write endpoints swapped for the sink (0: the config has none; no sink runs). */
  readonly endpoints: number;
  /** Requests the sink discarded, and their bytes. */
  readonly received: () => { requests: number; bytes: number };
  close(): Promise<void>;
}

const [REMOTE_WRITE] = yamlPath(uplinkOptions.remoteWrite) as [string];

/** The config as YAML, or undefined when it cannot be read or parsed (`up` reports that itself). */
function readTree(configFile: string): Record<string, unknown> | undefined {
  try {
    const yaml = createRequire(import.meta.url)('yaml') as typeof import('yaml');
    const tree = yaml.parse(readFileSync(configFile, 'utf8')) as unknown;
    return typeof tree === 'object' && tree !== null && !Array.isArray(tree)
      ? (tree as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

export async function sinkRemoteWrite(configFile: string, dir: string): Promise<UplinkSink> {
  const tree = configFile === '' ? undefined : readTree(configFile);
  const endpoints = tree?.[REMOTE_WRITE];
  if (tree === undefined || !Array.isArray(endpoints) || endpoints.length === 0) {
    return { configFile, endpoints: 0, received: () => ({ requests: 0, bytes: 0 }), close: async () => {} };
  }
  const received = { requests: 0, bytes: 0 };
  const server = createServer((req, res) => {
    req.on('data', (chunk: Buffer) => {
      received.bytes += chunk.length;
    });
    req.on('end', () => {
      received.requests++;
      res.writeHead(204).end();
    });
  });
  const port = await listen(server);
  // One sink URL per endpoint, told apart by path: vmagent keeps a queue per distinct URL.
  tree[REMOTE_WRITE] = endpoints.map((endpoint: unknown, i) => {
    const cap = (endpoint as Record<string, unknown> | null)?.max_disk_usage;
    return {
      url: `http://127.0.0.1:${port}/verify-sink/${i}/api/v1/write`,
      ...(cap === undefined ? {} : { max_disk_usage: cap }),
    };
  });
  const copy = join(dir, 'verify-config.yml');
  const yaml = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  writeFileSync(copy, yaml.stringify(tree), { mode: 0o600 });
  return {
    configFile: copy,
    endpoints: endpoints.length,
    received: () => ({ ...received }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
