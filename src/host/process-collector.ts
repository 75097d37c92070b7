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
import type { SampleJob } from '../sampling/sampler.js';

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
  openFds: number;
  maxFds: number;
  lagSeconds: number;
}

const startTimeSeconds = Math.round((Date.now() - process.uptime() * 1000) / 1000);

export class ProcessCollector implements Collector {
  snapshot: ProcessSnapshot = {
    cpuSeconds: 0,
    residentBytes: 0,
    heapTotalBytes: 0,
    heapUsedBytes: 0,
    openFds: 0,
    maxFds: 0,
    lagSeconds: 0,
  };

  constructor(
    private readonly procfsRoot: string = '/proc',
    private readonly lagMs: () => number = () => 0,
  ) {}

  /** The sampling job that refreshes the snapshot. */
  job(): SampleJob {
    return { name: 'process', run: (signal) => this.sample(signal) };
  }

  async sample(signal?: AbortSignal): Promise<void> {
    const self = `${this.procfsRoot}/self`;
    const [fds, limits] = await Promise.all([
      readdir(`${self}/fd`).then((list) => list.length),
      this.snapshot.maxFds === 0 ? readFile(`${self}/limits`, { encoding: 'utf8', signal }) : undefined,
    ]);
    if (signal?.aborted) return;
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    this.snapshot = {
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      residentBytes: memory.rss,
      heapTotalBytes: memory.heapTotal,
      heapUsedBytes: memory.heapUsed,
      openFds: fds,
      maxFds: limits !== undefined ? parseMaxFds(limits) : this.snapshot.maxFds,
      lagSeconds: this.lagMs() / 1000,
    };
  }

  collect(out: string, format: ExpositionFormat): string {
    const s = this.snapshot;
    const line = (h: FamilyHeader, v: number) => `${h.text(format)}${h.name} ${formatValue(v)}\n`;
    return (
      out +
      line(families.cpu, s.cpuSeconds) +
      line(families.resident, s.residentBytes) +
      line(families.openFds, s.openFds) +
      line(families.maxFds, s.maxFds) +
      line(families.start, startTimeSeconds) +
      line(families.heapUsed, s.heapUsedBytes) +
      line(families.heapTotal, s.heapTotalBytes) +
      line(families.lag, s.lagSeconds) +
      line(families.sensorMemory, s.residentBytes)
    );
  }
}

function parseMaxFds(limits: string): number {
  const m = /^Max open files\s+(\d+)/m.exec(limits);
  return m ? Number(m[1]) : 0;
}
