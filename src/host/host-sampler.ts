/**
 * Samples the box's own health on the sampler's schedule; HostCollector formats the result.
 *
 * procfs is read synchronously on purpose: the kernel generates those files in memory, so a
 * sync read costs a few microseconds, while an async readFile pays four threadpool round trips
 * per file (measured: ~90 µs of CPU for the five files sync against ~500 µs async). statfs stays
 * async because the data directory may sit on a network filesystem that can stall.
 */
import { readFileSync } from 'node:fs';
import { realpath, statfs } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { type SampleJob, SampleTimeoutError } from '../sampling/sampler.js';
import {
  type CpuTimes,
  findMount,
  type LoadAverage,
  type Meminfo,
  type MountInfo,
  type NetDevStats,
  parseLoadavg,
  parseMeminfo,
  parseMountinfo,
  parseNetDev,
  parseStat,
} from './procfs.js';

/**
 * Interfaces that carry no traffic of their own (traffic shapers, container veths and bridges):
 * left out as node_exporter setups usually configure, since each costs four series per scrape.
 */
const virtualInterfaces = /^(ifb\d|veth|docker\d|br-|virbr)/;

export interface HostSamplerOptions {
  readonly procfsRoot: string;
  /** The data directory; its filesystem is the one reported. Need not exist yet. */
  readonly dataPath: string;
}

export interface FilesystemStats extends MountInfo {
  readonly sizeBytes: number;
  readonly freeBytes: number;
  /** Free space unprivileged users may use (free minus the root reserve). */
  readonly availBytes: number;
}

/** One sample. A part whose read failed is undefined, so its series disappear instead of going stale. */
export interface HostSnapshot {
  /** Wall clock at sample time, seconds since the epoch. */
  readonly time: number;
  readonly cpus: readonly CpuTimes[] | undefined;
  readonly bootTime: number | undefined;
  readonly memory: Meminfo | undefined;
  readonly load: LoadAverage | undefined;
  readonly network: readonly NetDevStats[] | undefined;
  readonly filesystem: FilesystemStats | undefined;
}

interface FilesystemTarget {
  /** Where statfs is called: the data directory, or its nearest existing ancestor. */
  readonly path: string;
  readonly exists: boolean;
  readonly mount: MountInfo;
}

export class HostSampler {
  readonly #proc: { stat: string; meminfo: string; loadavg: string; netDev: string; mountinfo: string };
  readonly #dataPath: string;
  #latest: HostSnapshot | undefined;
  #target: FilesystemTarget | undefined;
  #mountinfoText = '';

  constructor(options: HostSamplerOptions) {
    const root = options.procfsRoot;
    this.#proc = {
      stat: join(root, 'stat'),
      meminfo: join(root, 'meminfo'),
      loadavg: join(root, 'loadavg'),
      netDev: join(root, 'net', 'dev'),
      mountinfo: join(root, 'self', 'mountinfo'),
    };
    this.#dataPath = resolve(options.dataPath);
  }

  /** The last sample, or undefined before the first and after a sample timed out. */
  get latest(): HostSnapshot | undefined {
    return this.#latest;
  }

  /**
   * The sampling job. A run that times out (statfs of a hung network mount) drops the last
   * sample: its series disappear instead of being served as current while the read hangs.
   */
  job(intervalMs: number): SampleJob {
    return {
      name: 'host',
      intervalMs,
      run: (signal) => this.sample(signal),
      failed: (error) => {
        if (error instanceof SampleTimeoutError) this.#latest = undefined;
      },
    };
  }

  /**
   * Reads everything and stores what succeeded. Rejects when any part failed, after storing the
   * rest, so one unreadable file costs its own series only and the failure still gets logged.
   */
  async sample(signal: AbortSignal): Promise<void> {
    const errors: unknown[] = [];
    const attempt = <T>(read: () => T): T | undefined => {
      try {
        return read();
      } catch (err) {
        errors.push(err);
        return undefined;
      }
    };
    const time = Date.now() / 1000;
    const stat = attempt(() => parseStat(readFileSync(this.#proc.stat, 'utf8')));
    const memory = attempt(() => parseMeminfo(readFileSync(this.#proc.meminfo, 'utf8')));
    const load = attempt(() => parseLoadavg(readFileSync(this.#proc.loadavg, 'utf8')));
    const network = attempt(() =>
      parseNetDev(readFileSync(this.#proc.netDev, 'utf8')).filter((n) => !virtualInterfaces.test(n.device)),
    );
    let filesystem: FilesystemStats | undefined;
    try {
      filesystem = await this.#filesystem();
    } catch (err) {
      errors.push(err);
    }
    if (signal.aborted) return;
    this.#latest = { time, cpus: stat?.cpus, bootTime: stat?.bootTime, memory, load, network, filesystem };
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `host sample: ${errors.length} reads failed`);
  }

  async #filesystem(): Promise<FilesystemStats> {
    const mountinfo = readFileSync(this.#proc.mountinfo, 'utf8');
    // Re-resolve only when the mount table changed or the data directory did not exist yet:
    // comparing a few kilobytes of text is far cheaper than a realpath and a parse every sample.
    if (this.#target === undefined || !this.#target.exists || mountinfo !== this.#mountinfoText) {
      const { path, exists } = await nearestExisting(this.#dataPath);
      const mount = findMount(parseMountinfo(mountinfo), path);
      if (mount === undefined) throw new Error(`${path}: no mount in ${this.#proc.mountinfo}`);
      this.#target = { path, exists, mount };
      this.#mountinfoText = mountinfo;
    }
    const { path, mount } = this.#target;
    const s = await statfs(path).catch((err: unknown) => {
      this.#target = undefined; // the directory was removed or replaced: resolve it afresh next time
      throw err;
    });
    return {
      ...mount,
      sizeBytes: s.blocks * s.bsize,
      freeBytes: s.bfree * s.bsize,
      availBytes: s.bavail * s.bsize,
    };
  }
}

/**
 * `path` with symlinks resolved (mount points are real paths), or its nearest existing ancestor:
 * before VictoriaMetrics creates the data directory, the filesystem it will land on is the
 * one worth watching.
 */
async function nearestExisting(path: string): Promise<{ path: string; exists: boolean }> {
  for (let p = path; ; p = dirname(p)) {
    try {
      return { path: await realpath(p), exists: p === path };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || p === dirname(p)) throw err;
    }
  }
}
