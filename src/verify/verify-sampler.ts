/**
 * Samples the verify cgroup while the stack runs: its memory as `docker stats` counts it, the
 * kernel's raw peak, OOM kills, and every process's PSS by component. Peaks between samples
 * can be missed; the kernel's own peak (memory.peak, max_usage_in_bytes) cannot, and is
 * reported beside them.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { COMPONENT_NAMES, type ComponentName } from '../budget/plan.js';
import { readProcessMemory } from '../host/smaps.js';
import type { Cgroup } from './cgroup.js';

/** Often enough to catch a start-up spike, rarely enough that reading smaps costs little. */
export const SAMPLE_INTERVAL_MS = 250;

export interface MemoryPeaks {
  /** Peak of usage minus inactive file cache, bytes (`docker stats`). */
  workingSetBytes: number;
  /** The kernel's peak usage including page cache, bytes; the sampled peak where the kernel keeps none. */
  rawPeakBytes: number;
  rawPeakSource: 'kernel' | 'sampled';
  /** Peak PSS per component (edgewatch, victoriametrics, vmalert; others by process name), bytes. */
  componentPssBytes: Record<string, number>;
  /** Peak of the components' summed PSS within one sample, bytes. */
  pssSumBytes: number;
  oomKills: number;
  samples: number;
}

/**
 * How each component's executable is named: bin/edgewatch execs node (`node`, or a versioned
 * `node20`); the VictoriaMetrics binaries may carry a suffix (`victoria-metrics-prod`).
 */
const EXECUTABLE_PREFIX: Record<ComponentName, string> = {
  edgewatch: 'node',
  victoriametrics: 'victoria-metrics',
  vmalert: 'vmalert',
  vmagent: 'vmagent',
};

/** The stack component a process belongs to, from its argv[0]; other processes by their name. */
export function componentOf(argv0: string): string {
  const name = basename(argv0);
  const component = COMPONENT_NAMES.find((c) => name.startsWith(EXECUTABLE_PREFIX[c]));
  // Else the entering shell before its exec, setpriv before its exec, alert action commands.
  return component ?? name;
}

async function argv0(pid: number): Promise<string | undefined> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0')[0];
  } catch {
    return undefined;
  }
}

export class MemorySampler {
  readonly #peaks: MemoryPeaks = {
    workingSetBytes: 0,
    rawPeakBytes: 0,
    rawPeakSource: 'sampled',
    componentPssBytes: {},
    pssSumBytes: 0,
    oomKills: 0,
    samples: 0,
  };
  #running: Promise<void> | undefined;
  #stopped = false;
  #result: Promise<MemoryPeaks> | undefined;

  constructor(
    private readonly cgroup: Cgroup,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.#running = this.#loop();
  }

  /** Stops after the sample in progress plus one final sample, and returns the peaks. Idempotent. */
  stop(): Promise<MemoryPeaks> {
    this.#stopped = true;
    this.#result ??= (async () => {
      await this.#running;
      await this.#sample();
      return this.#peaks;
    })();
    return this.#result;
  }

  async #loop(): Promise<void> {
    while (!this.#stopped) {
      const began = performance.now();
      await this.#sample();
      await sleep(Math.max(0, this.intervalMs - (performance.now() - began)));
    }
  }

  async #sample(): Promise<void> {
    const peaks = this.#peaks;
    const [memory, pids] = await Promise.all([this.cgroup.sample(), this.cgroup.pids()]);
    peaks.samples++;
    peaks.workingSetBytes = Math.max(peaks.workingSetBytes, memory.workingSetBytes);
    peaks.oomKills = memory.oomKills;
    if (memory.peakBytes === undefined) {
      peaks.rawPeakBytes = Math.max(peaks.rawPeakBytes, memory.usageBytes);
    } else {
      peaks.rawPeakBytes = memory.peakBytes;
      peaks.rawPeakSource = 'kernel';
    }

    const byComponent = new Map<string, number>();
    await Promise.all(
      pids.map(async (pid) => {
        const [name, usage] = await Promise.all([argv0(pid), readProcessMemory(pid)]);
        // Gone between listing and reading: it holds no memory any more.
        if (name === undefined || usage === undefined) return;
        const component = componentOf(name);
        byComponent.set(component, (byComponent.get(component) ?? 0) + usage.pss);
      }),
    );
    let sum = 0;
    for (const [component, pss] of byComponent) {
      sum += pss;
      peaks.componentPssBytes[component] = Math.max(peaks.componentPssBytes[component] ?? 0, pss);
    }
    peaks.pssSumBytes = Math.max(peaks.pssSumBytes, sum);
  }
}
