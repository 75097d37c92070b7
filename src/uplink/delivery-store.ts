/**
 * deliveredUntil per endpoint, kept on the data directory so a restart (or a power cut) knows
 * from where the central may be missing data. Written at most once per WRITE_EVERY_MS while the
 * link is healthy (an SD card's wear: one 100-byte file a minute), and at once after a backfill.
 * A stale file only makes the next backfill re-send up to that minute again.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export const WRITE_EVERY_MS = 60_000;

interface StoreFile {
  readonly version: 1;
  /** Endpoint URL → epoch ms before which every sample is known delivered. */
  readonly deliveredUntil: Record<string, number>;
}

export class DeliveryStore {
  #values: Record<string, number>;
  #writtenAt = Number.NEGATIVE_INFINITY;
  #dirty = false;

  constructor(
    private readonly path: string,
    private readonly now: () => number = Date.now,
  ) {
    this.#values = DeliveryStore.#read(path);
  }

  static #read(path: string): Record<string, number> {
    try {
      const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<StoreFile>;
      const out: Record<string, number> = {};
      for (const [url, ms] of Object.entries(parsed.deliveredUntil ?? {})) {
        if (typeof ms === 'number' && Number.isFinite(ms)) out[url] = ms;
      }
      return out;
    } catch {
      // Missing (first start) or torn: no known point, so no backfill from before this run.
      return {};
    }
  }

  get(url: string): number | undefined {
    return this.#values[url];
  }

  /** Records a new value; writes when due or when `now` is asked (after a backfill). */
  set(url: string, ms: number, writeNow = false): void {
    if (this.#values[url] !== ms) {
      this.#values[url] = ms;
      this.#dirty = true;
    }
    if (this.#dirty && (writeNow || this.now() - this.#writtenAt >= WRITE_EVERY_MS)) this.flush();
  }

  flush(): void {
    if (!this.#dirty) return;
    const file: StoreFile = { version: 1, deliveredUntil: this.#values };
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.tmp`;
    // fsync before the rename: after a power cut the file is the old one or the new one, whole.
    const fd = openSync(temporary, 'w', 0o644);
    try {
      writeSync(fd, JSON.stringify(file));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, this.path);
    this.#writtenAt = this.now();
    this.#dirty = false;
  }
}
