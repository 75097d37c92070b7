/**
 * A fresh ext4 filesystem on a loop device, so a benchmark sees the writes that reach a block
 * device (data, metadata and the ext4 journal: what wears an SD card) rather than what a process
 * says it wrote. Needs root (truncate, mkfs.ext4, losetup, mount). Inode tables and the journal
 * are initialised at mkfs time, so no background ext4lazyinit writes pollute the window.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';

export interface LoopFs {
  /** Where the filesystem is mounted. */
  readonly mountPoint: string;
  /** e.g. loop3 */
  readonly device: string;
  /** Bytes written to the block device so far (sectors written × 512, /sys/block/<dev>/stat). */
  writtenBytes(): number;
  /** Write requests completed so far. */
  writeRequests(): number;
  remove(): void;
}

const run = (cmd: string, args: readonly string[]) =>
  execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** Makes and mounts a `sizeMiB` ext4 in `dir` (created; its image file beside the mount point). */
export function makeLoopFs(dir: string, sizeMiB = 1024): LoopFs {
  const image = `${dir}.img`;
  mkdirSync(dir, { recursive: true });
  run('truncate', ['-s', `${sizeMiB}M`, image]);
  const loopPath = run('losetup', ['--find', '--show', image]);
  const device = basename(loopPath);
  let mounted = false;
  const remove = () => {
    if (mounted) unmount(dir);
    mounted = false;
    try {
      run('losetup', ['-d', loopPath]);
    } catch {
      // Already detached.
    }
    rmSync(image, { force: true });
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    run('mkfs.ext4', ['-q', '-F', '-E', 'lazy_itable_init=0,lazy_journal_init=0', loopPath]);
    // The defaults of a Raspberry Pi OS root filesystem: ext4, relatime, 5 s journal commits.
    run('mount', ['-t', 'ext4', loopPath, dir]);
    mounted = true;
  } catch (err) {
    remove();
    throw err;
  }
  const stat = () =>
    readFileSync(join('/sys/block', device, 'stat'), 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
  return {
    mountPoint: dir,
    device,
    writtenBytes: () => (stat()[6] ?? 0) * 512,
    writeRequests: () => stat()[4] ?? 0,
    remove,
  };
}

/** Bytes under `dir` (du -sb). */
export function directoryBytes(dir: string): number {
  return Number(run('du', ['-sb', dir]).split(/\s+/)[0]);
}

/**
 * Unmounts, retrying for a few seconds: a process that just exited (Netdata's plugins) can keep
 * the mount busy for a moment. Then lazily, so the device never stays behind.
 */
function unmount(dir: string): void {
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      run('umount', [dir]);
      return;
    } catch {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  run('umount', ['-l', dir]);
}
