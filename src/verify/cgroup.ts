/**
 * A throw-away cgroup with a memory limit and a CPU quota, for `edgewatch verify`: the stack runs
 * inside it as it would on a box of that size, and its memory is read the way `docker stats`
 * reads a container's.
 *
 * cgroup v2 (unified, `/sys/fs/cgroup/cgroup.controllers` exists): one directory under the
 * hierarchy's root. Not under our own cgroup: v2 forbids enabling controllers for the children
 * of a cgroup that holds processes, and ours holds at least this one. (Inside a container with
 * a cgroup namespace the root is the container's own.)
 *
 * cgroup v1: one directory per controller, under the cgroup this process is in, so limits that
 * apply to whoever runs verify (a systemd slice, a container) still apply to the stack.
 */

import { access, mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseProcCgroup } from '../budget/cgroup-limit.js';
import { EdgewatchError, ErrorCode, errorMessage } from '../errors.js';

/** The kernel's default CFS period, µs; the quota is `cpus` times it. */
const CPU_PERIOD_US = 100_000;
/** How long `remove` waits for killed processes to leave before giving up on rmdir. */
const EMPTY_WAIT_MS = 5000;

export type CgroupVersion = 1 | 2;

export interface CgroupSample {
  /** memory.current (v2) or memory.usage_in_bytes (v1), bytes: includes page cache. */
  usageBytes: number;
  /** Usage minus inactive file cache, bytes: what `docker stats` reports. */
  workingSetBytes: number;
  /** memory.peak (v2, Linux 5.19+) or memory.max_usage_in_bytes (v1); undefined where absent. */
  peakBytes: number | undefined;
  /** Processes the kernel killed for running out of the limit, since creation. */
  oomKills: number;
}

export interface CgroupSpec {
  /** Directory name, e.g. edgewatch-verify-1234. */
  name: string;
  memoryBytes: number;
  /** CPU quota in CPUs, e.g. 2 or 0.5. */
  cpus: number;
}

/** Parses `key value` lines (memory.stat, memory.events, memory.oom_control) into numbers. */
export function parseKeyValues(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && /^\d+$/.test(value)) values.set(key, Number(value));
  }
  return values;
}

/** Usage minus inactive file cache, never below 0: the file cache the kernel drops first. */
export function workingSet(
  usageBytes: number,
  memoryStat: ReadonlyMap<string, number>,
  version: CgroupVersion,
): number {
  const inactiveFile = memoryStat.get(version === 2 ? 'inactive_file' : 'total_inactive_file') ?? 0;
  return Math.max(0, usageBytes - inactiveFile);
}

export class Cgroup {
  private constructor(
    readonly version: CgroupVersion,
    /** The memory controller's directory (v2: the one directory). */
    readonly memoryDir: string,
    /** v1's cpu controller directory; undefined on v2. */
    readonly cpuDir: string | undefined,
  ) {}

  /**
   * Creates the cgroup and sets its limits. Throws UNSUPPORTED when not root, or when the
   * kernel or the mount does not allow it (read-only /sys/fs/cgroup in a container, missing
   * controllers).
   */
  static async create(spec: CgroupSpec, root = '/sys/fs/cgroup'): Promise<Cgroup> {
    if (process.getuid?.() !== 0) {
      throw new EdgewatchError(
        ErrorCode.UNSUPPORTED,
        'edgewatch verify needs root to create a cgroup with the memory limit and CPU quota: run it with sudo',
      );
    }
    const cgroup = (await exists(join(root, 'cgroup.controllers')))
      ? await Cgroup.#createV2(spec, root)
      : await Cgroup.#createV1(spec, root);
    try {
      await cgroup.#setLimits(spec);
    } catch (err) {
      // The limits' error is the one to report; an empty cgroup's rmdir does not fail.
      await cgroup.remove().catch(() => undefined);
      throw unsupported(`cannot set the limits of ${cgroup.memoryDir}`, err);
    }
    return cgroup;
  }

  static async #createV2(spec: CgroupSpec, root: string): Promise<Cgroup> {
    const enabled = (await readFile(join(root, 'cgroup.subtree_control'), 'utf8')).split(/\s+/);
    const missing = ['memory', 'cpu'].filter((c) => !enabled.includes(c));
    if (missing.length > 0) {
      await writeFile(join(root, 'cgroup.subtree_control'), missing.map((c) => `+${c}`).join(' ')).catch(
        (err) => {
          throw unsupported(
            `cannot enable the ${missing.join(' and ')} controller${missing.length > 1 ? 's' : ''} in ${root}`,
            err,
          );
        },
      );
    }
    const dir = join(root, spec.name);
    await mkdir(dir).catch((err) => {
      throw unsupported(`cannot create ${dir}`, err);
    });
    return new Cgroup(2, dir, undefined);
  }

  static async #createV1(spec: CgroupSpec, root: string): Promise<Cgroup> {
    const own = parseProcCgroup(await readFile('/proc/self/cgroup', 'utf8'));
    const parentOf = async (controller: string) => {
      const mount = join(root, controller);
      if (!(await exists(join(mount, 'cgroup.procs')))) {
        throw unsupported(`no cgroup v1 ${controller} controller at ${mount}`);
      }
      // Without a cgroup namespace a container sees the host's path, which its mount lacks.
      const nested = join(mount, own.get(controller) ?? '/');
      return (await exists(nested)) ? nested : mount;
    };
    const memoryDir = join(await parentOf('memory'), spec.name);
    const cpuDir = join(await parentOf('cpu'), spec.name);
    await mkdir(memoryDir).catch((err) => {
      throw unsupported(`cannot create ${memoryDir}`, err);
    });
    await mkdir(cpuDir).catch(async (err) => {
      await rmdir(memoryDir);
      throw unsupported(`cannot create ${cpuDir}`, err);
    });
    return new Cgroup(1, memoryDir, cpuDir);
  }

  async #setLimits({ memoryBytes, cpus }: CgroupSpec): Promise<void> {
    const quota = Math.max(1000, Math.round(cpus * CPU_PERIOD_US));
    if (this.version === 2) {
      await writeFile(join(this.memoryDir, 'memory.max'), String(memoryBytes));
      // The stack must fit in RAM: swapping would hide an overrun as slowness.
      await writeIfExists(join(this.memoryDir, 'memory.swap.max'), '0');
      await writeFile(join(this.memoryDir, 'cpu.max'), `${quota} ${CPU_PERIOD_US}`);
      return;
    }
    const cpuDir = this.cpuDir as string;
    await writeFile(join(this.memoryDir, 'memory.limit_in_bytes'), String(memoryBytes));
    // memsw (memory + swap) exists when swap accounting is on; equal to the limit means no swap.
    await writeIfExists(join(this.memoryDir, 'memory.memsw.limit_in_bytes'), String(memoryBytes));
    await writeFile(join(cpuDir, 'cpu.cfs_period_us'), String(CPU_PERIOD_US));
    await writeFile(join(cpuDir, 'cpu.cfs_quota_us'), String(quota));
  }

  /** The files a process writes its pid to, to enter every controller of this cgroup. */
  get procsFiles(): string[] {
    return [this.memoryDir, ...(this.cpuDir ? [this.cpuDir] : [])].map((dir) => join(dir, 'cgroup.procs'));
  }

  /** Pids in the cgroup. */
  async pids(): Promise<number[]> {
    try {
      const text = await readFile(join(this.memoryDir, 'cgroup.procs'), 'utf8');
      return text
        .split('\n')
        .filter((line) => line !== '')
        .map(Number);
    } catch {
      return [];
    }
  }

  async sample(): Promise<CgroupSample> {
    const v2 = this.version === 2;
    const [usage, stat, peak, oom] = await Promise.all([
      readFile(join(this.memoryDir, v2 ? 'memory.current' : 'memory.usage_in_bytes'), 'utf8'),
      readFile(join(this.memoryDir, 'memory.stat'), 'utf8'),
      readFile(join(this.memoryDir, v2 ? 'memory.peak' : 'memory.max_usage_in_bytes'), 'utf8').catch(
        () => undefined,
      ),
      readFile(join(this.memoryDir, v2 ? 'memory.events' : 'memory.oom_control'), 'utf8'),
    ]);
    const usageBytes = Number(usage.trim());
    return {
      usageBytes,
      workingSetBytes: workingSet(usageBytes, parseKeyValues(stat), this.version),
      peakBytes: peak === undefined ? undefined : Number(peak.trim()),
      // v1 reports oom_kill in memory.oom_control since Linux 4.13.
      oomKills: parseKeyValues(oom).get('oom_kill') ?? 0,
    };
  }

  /**
   * SIGKILLs whatever is still inside (only processes verify started can be), waits for them to
   * leave and removes the directories. Throws when a directory cannot be removed, naming it.
   */
  async remove(): Promise<void> {
    const deadline = Date.now() + EMPTY_WAIT_MS;
    for (let pids = await this.pids(); pids.length > 0; pids = await this.pids()) {
      if (Date.now() > deadline) break;
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Exited meanwhile.
        }
      }
      await sleep(50);
    }
    const failed: string[] = [];
    for (const dir of [this.memoryDir, this.cpuDir]) {
      if (dir === undefined) continue;
      await rmdir(dir).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') failed.push(`${dir} (${err.code ?? err.message})`);
      });
    }
    if (failed.length > 0) throw new Error(`cannot remove cgroup ${failed.join(', ')}: remove it with rmdir`);
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function writeIfExists(path: string, value: string): Promise<void> {
  if (await exists(path)) await writeFile(path, value);
}

function unsupported(what: string, cause?: unknown): EdgewatchError {
  return new EdgewatchError(
    ErrorCode.UNSUPPORTED,
    cause === undefined ? what : `${what}: ${errorMessage(cause)}`,
  );
}
