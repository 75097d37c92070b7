/**
 * Process metrics under the names prom-client and client_golang use (process_*, nodejs_*), the
 * ones worth their bytes in an 8 KB body (no user/system split, no virtual size),
 * sampled on the sampler's schedule instead of at scrape time: prom-client reads /proc and lists
 * /proc/self/fd on every scrape, and runs a 10 ms event-loop timer that costs ~6 ms of CPU per
 * second on an idle box. Also `sensor_memory_bytes`, the original service's name for RSS.
 */
import { readdir, readFile } from 'node:fs/promises';
import { type ExpositionFormat, FamilyHeader, formatValue } from '../metrics/exposition.js';
import type { Collector } from '../metrics/registry.js';
import { type SampleJob, SampleTimeoutError } from '../sampling/sampler.js';

const families = {
  cpu: new FamilyHeader({
    name: 'process_cpu_seconds_total',
    help: 'User and system CPU time spent.',
    type: 'counter',
  }),
  resident: new FamilyHeader({
    name: 'process_resident_memory_bytes',
    help: 'Resident memory size.',
    type: 'gauge',
  }),
  openFds: new FamilyHeader({ name: 'process_open_fds', help: 'Open file descriptors.', type: 'gauge' }),
  maxFds: new FamilyHeader({
    name: 'process_max_fds',
    help: 'Maximum open file descriptors.',
    type: 'gauge',
  }),
  start: new FamilyHeader({
    name: 'process_start_time_seconds',
    help: 'Start time since the unix epoch.',
    type: 'gauge',
  }),
  heapUsed: new FamilyHeader({ name: 'nodejs_heap_size_used_bytes', help: 'V8 heap in use.', type: 'gauge' }),
  heapTotal: new FamilyHeader({
    name: 'nodejs_heap_size_total_bytes',
    help: 'V8 heap reserved.',
    type: 'gauge',
  }),
  lag: new FamilyHeader({
    name: 'nodejs_eventloop_lag_seconds',
    help: 'How late the last sampling timer fired.',
    type: 'gauge',
  }),
  sensorMemory: new FamilyHeader({
    name: 'sensor_memory_bytes',
    help: 'Resident memory of the sensor service.',
    type: 'gauge',
  }),
};

export interface ProcessSnapshot {
  cpuSeconds: number;
  residentBytes: number;
  heapTotalBytes: number;
  heapUsedBytes: number;
  /** Undefined when /proc/self/fd could not be listed: the series disappears rather than going stale. */
  openFds: number | undefined;
  /** Undefined until /proc/self/limits was read. */
  maxFds: number | undefined;
  lagSeconds: number;
}

const startTimeSeconds = Math.round((Date.now() - process.uptime() * 1000) / 1000);

export class ProcessCollector implements Collector {
  /** Undefined before the first sample and after one timed out: only the start time is served then. */
  snapshot: ProcessSnapshot | undefined;

  constructor(
    private readonly procfsRoot: string = '/proc',
    private readonly lagMs: () => number = () => 0,
  ) {}

  /** The sampling job that refreshes the snapshot; a timed-out run drops it (nothing is served as current). */
  job(): SampleJob {
    return {
      name: 'process',
      run: (signal) => this.sample(signal),
      failed: (error) => {
        if (error instanceof SampleTimeoutError) this.snapshot = undefined;
      },
    };
  }

  /**
   * Takes a snapshot; a procfs read that fails leaves its series out, and the run then rejects
   * (after storing the rest) so the failure is counted.
   */
  async sample(signal?: AbortSignal): Promise<void> {
    const self = `${this.procfsRoot}/self`;
    const knownMax = this.snapshot?.maxFds;
    const [fds, limits] = await Promise.allSettled([
      readdir(`${self}/fd`).then((list) => list.length),
      knownMax === undefined ? readFile(`${self}/limits`, { encoding: 'utf8', signal }) : undefined,
    ]);
    if (signal?.aborted) return;
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    const maxFds =
      limits.status === 'fulfilled' && limits.value !== undefined ? parseMaxFds(limits.value) : knownMax;
    this.snapshot = {
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      residentBytes: memory.rss,
      heapTotalBytes: memory.heapTotal,
      heapUsedBytes: memory.heapUsed,
      openFds: fds.status === 'fulfilled' ? fds.value : undefined,
      maxFds,
      lagSeconds: this.lagMs() / 1000,
    };
    const failed = [fds, limits].flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (failed.length === 1) throw failed[0];
    if (failed.length > 1) throw new AggregateError(failed, `process sample: ${failed.length} reads failed`);
  }

  collect(out: string, format: ExpositionFormat): string {
    const s = this.snapshot;
    const line = (h: FamilyHeader, v: number | undefined) =>
      v === undefined ? '' : `${h.text(format)}${h.name} ${formatValue(v)}\n`;
    return (
      out +
      line(families.cpu, s?.cpuSeconds) +
      line(families.resident, s?.residentBytes) +
      line(families.openFds, s?.openFds) +
      line(families.maxFds, s?.maxFds) +
      line(families.start, startTimeSeconds) +
      line(families.heapUsed, s?.heapUsedBytes) +
      line(families.heapTotal, s?.heapTotalBytes) +
      line(families.lag, s?.lagSeconds) +
      line(families.sensorMemory, s?.residentBytes)
    );
  }
}

function parseMaxFds(limits: string): number | undefined {
  const m = /^Max open files\s+(\d+)/m.exec(limits);
  return m ? Number(m[1]) : undefined;
}
