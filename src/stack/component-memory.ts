/**
 * Memory of every component of the stack against the budget, as metrics and for /api/stack.
 * smaps_rollup is read on the sampler's schedule, never at scrape time: the kernel walks every
 * mapping of the process to sum it, which is not free for a Go binary's large address space.
 */

import { allowanceOf, type BudgetPlan } from '../budget/plan.js';
import { type MemoryUsage, readProcessMemory } from '../host/smaps.js';
import type { ExpositionFormat } from '../metrics/exposition.js';
import { CounterFamily, FamilyGroup, GaugeFamily } from '../metrics/metric.js';
import type { Collector } from '../metrics/registry.js';
import { type SampleJob, SampleTimeoutError } from '../sampling/sampler.js';
import type { ComponentStatus } from './component-types.js';

export class ComponentMemoryCollector implements Collector {
  readonly #memory = new GaugeFamily<'component' | 'kind'>({
    name: 'edgewatch_component_memory_bytes',
    help: 'Memory of a component of the stack from /proc/<pid>/smaps_rollup: rss, pss (what the budget counts), anon.',
    labelNames: ['component', 'kind'],
  });
  readonly #componentBudget = new GaugeFamily<'component'>({
    name: 'edgewatch_component_memory_budget_bytes',
    help: "A component's allowance of budget.memory (PSS).",
    labelNames: ['component'],
  });
  readonly #budget = new GaugeFamily({
    name: 'edgewatch_memory_budget_bytes',
    help: 'budget.memory: what the PSS of all components together may be.',
  });
  readonly #up = new GaugeFamily<'component'>({
    name: 'edgewatch_component_up',
    help: '1 if the component is running and answers its health check.',
    labelNames: ['component'],
  });
  readonly #restarts = new CounterFamily<'component'>({
    name: 'edgewatch_component_restarts_total',
    help: 'Times the supervisor restarted the component after it exited.',
    labelNames: ['component'],
  });
  readonly #families = new FamilyGroup([
    this.#memory,
    this.#componentBudget,
    this.#budget,
    this.#up,
    this.#restarts,
  ]);
  #latest = new Map<string, MemoryUsage>();

  constructor(
    private readonly plan: BudgetPlan,
    private readonly components: () => readonly ComponentStatus[],
    private readonly procfsRoot = '/proc',
  ) {
    this.#budget.series().value = plan.budgetBytes;
  }

  /**
   * The sampling job that refreshes every component's memory, health and restarts. A run that
   * times out drops the memory series: they are not served as current while smaps_rollup hangs.
   */
  job(): SampleJob {
    return {
      name: 'component-memory',
      run: (signal) => this.sample(signal),
      failed: (error) => {
        if (!(error instanceof SampleTimeoutError)) return;
        this.#memory.clear();
        this.#latest = new Map();
      },
    };
  }

  /** A component whose smaps_rollup cannot be read loses its memory series; the run then rejects. */
  async sample(signal?: AbortSignal): Promise<void> {
    const components = this.components();
    const usages = await Promise.allSettled(
      components.map((c) => (c.pid === undefined ? undefined : readProcessMemory(c.pid, this.procfsRoot))),
    );
    if (signal?.aborted) return;
    const latest = new Map<string, MemoryUsage>();
    const errors: unknown[] = [];
    components.forEach((c, i) => {
      const result = usages[i] as PromiseSettledResult<MemoryUsage | undefined>;
      const usage = result.status === 'fulfilled' ? result.value : undefined;
      if (result.status === 'rejected') errors.push(result.reason);
      if (usage) latest.set(c.name, usage);
      this.#record(c, usage);
    });
    this.#latest = latest;
    if (errors.length > 0) throw new AggregateError(errors, `smaps_rollup: ${errors.length} reads failed`);
  }

  /** The last sample of a component; undefined when it was not running then. */
  memoryOf(name: string): MemoryUsage | undefined {
    return this.#latest.get(name);
  }

  collect(out: string, format: ExpositionFormat): string {
    return this.#families.collect(out, format);
  }

  #record(c: ComponentStatus, usage: MemoryUsage | undefined): void {
    const component = c.name;
    for (const kind of ['rss', 'pss', 'anon'] as const) {
      // No process, no value: a series that is absent rather than 0 keeps sums and alerts honest.
      if (usage) this.#memory.series({ component, kind }).value = usage[kind];
      else this.#memory.remove({ component, kind });
    }
    const allowance = allowanceOf(this.plan, component);
    if (allowance !== undefined) this.#componentBudget.series({ component }).value = allowance;
    this.#up.series({ component }).value = c.health === 'healthy' ? 1 : 0;
    this.#restarts.series({ component }).value = c.restarts;
  }
}
