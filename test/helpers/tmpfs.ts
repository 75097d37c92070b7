/** A small tmpfs for disk-full tests (root only): the filesystem is the fault, not a fake of it. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const isRoot = process.getuid?.() === 0;

export interface Tmpfs {
  readonly dir: string;
  /** Unmounts (lazily, should a process still hold a file) and removes the mount point. */
  remove(): void;
}

export function mountTmpfs(sizeMiB: number): Tmpfs {
  const dir = mkdtempSync(join(tmpdir(), 'ew-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m`, 'tmpfs', dir]);
  return {
    dir,
    remove: () => {
      execFileSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Writes zeros to `path` until `bytes` are written or the disk is full (ENOSPC ends it quietly:
 * filling the disk is the point). Returns the bytes written.
 */
export async function fillFile(path: string, bytes: number): Promise<number> {
  const chunk = Buffer.alloc(1024 * 1024);
  const file = await open(path, 'w');
  let written = 0;
  try {
    while (written < bytes) {
      const { bytesWritten } = await file.write(chunk, 0, Math.min(chunk.length, bytes - written));
      written += bytesWritten;
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    await file.close();
  }
  return written;
}
