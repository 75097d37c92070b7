/**
 * The memory limit of the cgroup edgewatch runs in (a container's `--memory`, a systemd unit's
 * MemoryMax=), so that under such a limit and with budget.memory unset the limit is the budget:
 * one number, set once, where the operator already sets it.
 *
 * Read, first found wins: cgroup v2 `memory.max` of our own cgroup (from /proc/self/cgroup),
 * then of the hierarchy's root (a container with its own cgroup namespace sees its cgroup
 * there); cgroup v1 `memory.limit_in_bytes` the same two ways (Docker on v1 mounts the
 * container's cgroup at the controller's root while /proc/self/cgroup names /docker/<id>).
 * "max" (v2) and v1's "no limit" (a page-rounded 2^63 - 1) mean no limit.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** v1 reports "unlimited" as the largest page-aligned int64; anything from 2^62 up is no limit. */
const V1_UNLIMITED = 2 ** 62;

export interface CgroupLimitPaths {
  /** Where cgroupfs is mounted, /sys/fs/cgroup. */
  readonly root: string;
  /** The text of /proc/self/cgroup. */
  readonly procSelfCgroup: string;
}

/** The memory limit in bytes, or undefined when there is none (or no cgroupfs to read). */
export function cgroupMemoryLimit(paths: CgroupLimitPaths = defaultPaths()): number | undefined {
  const own = parseProcCgroup(paths.procSelfCgroup);
  const v2 = own.get('') ?? '/';
  const v1 = own.get('memory') ?? '/';
  const candidates = [
    join(paths.root, v2, 'memory.max'),
    join(paths.root, 'memory.max'),
    join(paths.root, 'memory', v1, 'memory.limit_in_bytes'),
    join(paths.root, 'memory', 'memory.limit_in_bytes'),
  ];
  for (const file of candidates) {
    const text = readOrUndefined(file);
    if (text === undefined) continue;
    if (text === 'max') return undefined;
    if (!/^\d+$/.test(text)) continue;
    const bytes = Number(text);
    return bytes >= V1_UNLIMITED ? undefined : bytes;
  }
  return undefined;
}

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function defaultPaths(): CgroupLimitPaths {
  return { root: '/sys/fs/cgroup', procSelfCgroup: readOrUndefined('/proc/self/cgroup') ?? '' };
}

/** This process's cgroup path per v1 controller (`memory`, `cpu`), and the v2 path under `''`. */
export function parseProcCgroup(text: string): Map<string, string> {
  const paths = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    for (const controller of (m[1] as string).split(',')) paths.set(controller, m[2] as string);
  }
  return paths;
}
