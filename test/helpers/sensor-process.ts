/**
 * `edgewatch sensor` as a real child process on a fake sysfs tree and a free loopback port:
 * the start and stop that the hostile, hung-sensor and hot-plug suites share.
 */
import { EdgewatchProcess } from './edgewatch.js';
import { freePort } from './net.js';
import type { SysfsTree } from './sysfs-tree.js';

export interface SensorUnderTest {
  readonly proc: EdgewatchProcess;
  readonly port: number;
  /** http://127.0.0.1:PORT */
  readonly base: string;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** Spawns `edgewatch sensor` reading `sysfs` (its storage.path too) and resolves once it listens. */
export async function startSensor(
  sysfs: SysfsTree,
  extraArgs: readonly string[] = [],
): Promise<SensorUnderTest> {
  const port = await freePort();
  const proc = new EdgewatchProcess([
    'sensor',
    `--web.listen-address=127.0.0.1:${port}`,
    `--paths.sysfs=${sysfs.root}`,
    `--storage.path=${sysfs.root}`,
    ...extraArgs,
  ]);
  try {
    await proc.waitForLog((l) => l.msg === 'listening');
  } catch (err) {
    await proc.stop(1000);
    throw err;
  }
  return {
    proc,
    port,
    base: `http://127.0.0.1:${port}`,
    stop: async (graceMs) => {
      await proc.stop(graceMs);
    },
  };
}
