/** A real VictoriaMetrics and a vmalert evaluating `rules` every second, notifying `notifierUrl` with `token`. */
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnReporting } from '../helpers/child.js';
import { freePort } from '../helpers/net.js';
import { waitForOk } from './http-fixture.js';

export interface VmalertPair {
  /** Both processes, for stopChildProcess at the end. */
  readonly children: ChildProcess[];
  readonly vmalertPort: number;
}

/** Starts both under `dir` (VictoriaMetrics healthy first, as vmalert reads from it). */
export async function startVmalertPair(
  dir: string,
  rules: string,
  notifierUrl: string,
  token: string,
): Promise<VmalertPair> {
  const vmPort = await freePort();
  const children = [
    spawnReporting('victoria-metrics', [
      `-httpListenAddr=127.0.0.1:${vmPort}`,
      `-storageDataPath=${join(dir, 'vm')}`,
      '-search.latencyOffset=1s',
      '-loggerLevel=ERROR',
    ]),
  ];
  await waitForOk(`http://127.0.0.1:${vmPort}/health`);
  const rulesFile = join(dir, 'rules.yml');
  writeFileSync(rulesFile, rules);
  const vmalertPort = await freePort();
  children.push(
    spawnReporting('vmalert', [
      `-rule=${rulesFile}`,
      `-datasource.url=http://127.0.0.1:${vmPort}`,
      `-notifier.url=${notifierUrl}`,
      `-notifier.bearerToken=${token}`,
      '-evaluationInterval=1s',
      `-httpListenAddr=127.0.0.1:${vmalertPort}`,
      '-loggerLevel=ERROR',
    ]),
  );
  return { children, vmalertPort };
}
