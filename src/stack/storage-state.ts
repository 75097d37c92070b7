/**
 * What edgewatch can see of its storage without VictoriaMetrics' help: the free space of
 * storage.path's filesystem (statfs) and whether VictoriaMetrics stopped accepting samples
 * (`vm_storage_is_read_only` on its own /metrics, read live). Neither may come from a query: a
 * storage that cannot store has no fresh samples to answer with, which is why DiskSpaceLow goes
 * quiet exactly when the disk is full.
 */
import { statfs } from 'node:fs/promises';
import { get } from 'node:http';

export interface DiskSpace {
  /** Bytes an unprivileged writer may still use (f_bavail), as VictoriaMetrics counts them. */
  readonly availableBytes: number;
  readonly sizeBytes: number;
}

export interface StorageState {
  /** Undefined when statfs failed (the path vanished, a hung mount timed out). */
  readonly disk: DiskSpace | undefined;
  /** Undefined when VictoriaMetrics did not answer: it is down, which ComponentDown reports. */
  readonly readOnly: boolean | undefined;
}

/** VictoriaMetrics 1.79's /metrics is ~32 KB; anything far beyond is not it. */
const MAX_METRICS_BYTES = 4 * 1024 * 1024;
const READ_ONLY_SERIES = 'vm_storage_is_read_only';

export async function diskSpace(path: string): Promise<DiskSpace | undefined> {
  try {
    const s = await statfs(path);
    return { availableBytes: s.bavail * s.bsize, sizeBytes: s.blocks * s.bsize };
  } catch {
    return undefined;
  }
}

/**
 * True when any `vm_storage_is_read_only` series of VictoriaMetrics' /metrics is 1; undefined
 * when it cannot be read within `timeoutMs` or has no such series.
 */
export function storageReadOnly(metricsUrl: string, timeoutMs: number): Promise<boolean | undefined> {
  return new Promise((resolve) => {
    const req = get(metricsUrl, { agent: false, timeout: timeoutMs }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        resolve(undefined);
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_METRICS_BYTES) req.destroy();
        else chunks.push(chunk);
      });
      res.on('end', () => resolve(parseReadOnly(Buffer.concat(chunks).toString('utf8'))));
      res.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}

/** The read-only flag from Prometheus text: 1 on any path is read-only. */
export function parseReadOnly(text: string): boolean | undefined {
  let found: boolean | undefined;
  for (const line of text.split('\n')) {
    if (!line.startsWith(READ_ONLY_SERIES)) continue;
    const next = line.charAt(READ_ONLY_SERIES.length);
    if (next !== '{' && next !== ' ') continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (value === 1) return true;
    if (value === 0) found = false;
  }
  return found;
}

export async function readStorageState(
  dataPath: string,
  vmMetricsUrl: string,
  timeoutMs: number,
): Promise<StorageState> {
  const [disk, readOnly] = await Promise.all([diskSpace(dataPath), storageReadOnly(vmMetricsUrl, timeoutMs)]);
  return { disk, readOnly };
}
