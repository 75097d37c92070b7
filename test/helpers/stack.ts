/**
 * A whole `edgewatch up` for tests: real VictoriaMetrics and vmalert on free loopback ports, a
 * temporary storage.path, a simulated sensor with a fixed seed, 1 s intervals. cleanup() leaves
 * no process and no directory behind, whatever state the test ended in.
 */

import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StackReportJson } from '../../src/api/types.js';
import { EdgewatchProcess } from './edgewatch.js';
import { freePort, httpGet } from './net.js';
import { waitFor } from './wait.js';

export interface StackUnderTest {
  readonly proc: EdgewatchProcess;
  readonly dir: string;
  /** Date.now() just before the spawn. */
  readonly spawnedAt: number;
  readonly webUrl: string;
  readonly vmUrl: string;
  /** GET /api/stack; remembers every pid it sees for cleanup(). */
  stack(): Promise<StackReportJson>;
  /** pids of the supervised components (not edgewatch itself) now. */
  childPids(): Promise<number[]>;
  /** Stops edgewatch, makes sure every component pid ever seen is gone, removes the directory. */
  cleanup(): Promise<void>;
}

/** Arguments for a stack on free ports in `dir`; for tests that spawn `up` themselves. */
export async function stackArgs(
  dir: string,
): Promise<{ args: string[]; web: number; vm: number; vmalert: number }> {
  const [web, vm, vmalert] = [await freePort(), await freePort(), await freePort()];
  return {
    web,
    vm,
    vmalert,
    args: [
      'up',
      `--web.listen-address=127.0.0.1:${web}`,
      `--vm.listen-address=127.0.0.1:${vm}`,
      `--vmalert.listen-address=127.0.0.1:${vmalert}`,
      `--storage.path=${dir}`,
      '--vm.scrape-interval=1s',
      '--sensor.interval=1s',
      '--alerting.evaluation-interval=1s',
      '--sensor.sources=simulated',
      '--sensor.simulated.seed=42',
    ],
  };
}

export interface StartStackOptions {
  /**
   * storage.path to use (a mount point, a directory kept from an earlier run); the caller owns it
   * and cleanup() leaves it. Default: a new temporary directory that cleanup() removes.
   */
  readonly dir?: string;
  /** Resolve once it logged that it came up with failing components, not `stack healthy`. */
  readonly degraded?: boolean;
}

/**
 * Spawns `edgewatch up` and resolves once it logged `stack healthy` (or, with `degraded`, that it
 * came up with failing components).
 */
export async function startStack(
  extraArgs: readonly string[] = [],
  options: StartStackOptions = {},
): Promise<StackUnderTest> {
  const { degraded = false } = options;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'edgewatch-stack-')));
  const { args, web, vm } = await stackArgs(dir);
  const spawnedAt = Date.now();
  const proc = new EdgewatchProcess([...args, ...extraArgs]);
  const webUrl = `http://127.0.0.1:${web}`;
  const seen = new Set<number>();

  const stack = async (): Promise<StackReportJson> => {
    const res = await httpGet(`${webUrl}/api/stack`);
    if (res.status !== 200) throw new Error(`/api/stack answered ${res.status}: ${res.body}`);
    const report = JSON.parse(res.body) as StackReportJson;
    for (const c of report.components) if (c.pid !== null && c.name !== 'edgewatch') seen.add(c.pid);
    return report;
  };
  const cleanup = async () => {
    await proc.stop(8000);
    // Components outlive a SIGKILLed edgewatch for their clean shutdown (or a test killed them
    // already); wait for them, then make sure, before removing their data directory.
    const pids = [...seen];
    await waitFor('components to exit', () => pids.every(processGone), 5000).catch(() => {
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Exited meanwhile.
        }
      }
    });
    if (options.dir === undefined) await rm(dir, { recursive: true, force: true, maxRetries: 5 });
  };

  try {
    const ready = degraded ? 'stack up with failing components' : 'stack healthy';
    await proc.waitForLog((l) => l.msg === ready, 20_000);
  } catch (err) {
    await cleanup();
    throw err;
  }
  return {
    proc,
    dir,
    spawnedAt,
    webUrl,
    vmUrl: `http://127.0.0.1:${vm}`,
    stack,
    childPids: async () =>
      (await stack()).components
        .filter((c) => c.name !== 'edgewatch' && c.pid !== null)
        .map((c) => c.pid as number),
    cleanup,
  };
}

/** The process no longer exists, or is a zombie waiting to be reaped (it has stopped running either way). */
export function processGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/** Polls VictoriaMetrics' instant query API until the result is non-empty. */
export async function queryUntilPresent(vmUrl: string, query: string, timeoutMs: number): Promise<unknown[]> {
  return waitFor(
    `VictoriaMetrics to return ${query}`,
    async () => {
      const res = await httpGet(`${vmUrl}/api/v1/query?query=${encodeURIComponent(query)}`);
      const result = (JSON.parse(res.body) as { data?: { result?: unknown[] } }).data?.result ?? [];
      return result.length > 0 ? result : undefined;
    },
    timeoutMs,
    200,
  );
}
