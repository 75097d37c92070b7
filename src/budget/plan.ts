/**
 * The memory plan: one number, budget.memory, decides what every component may use and the
 * memory-related flags they are started with. Nothing else in the code base picks a memory size.
 *
 * edgewatch and vmalert do not use more memory when given more, so their allowances are fixed:
 * their measured peak PSS under load plus a margin. A share of the budget is kept as headroom.
 * Everything else goes to VictoriaMetrics, the one component whose caches and queries do make use
 * of more.
 *
 * Measured 2026-12-04 in the compose container at its 143 MiB limit, peak during 60 s of
 * `wrk -c4` on /metrics plus two dashboard range queries every 0.25 s, MiB. PSS where the
 * component alone maps its binary (as on a box); on Debian 13 other containers of the same image
 * layers shared the pages, so RSS is given, PSS's upper bound:
 *                     Debian 12 image (VM 1.79.5)   Debian 13 image (VM 1.112.0)
 *   edgewatch         59.3 PSS (idle 48.2)          60.3 RSS (idle 50.2)  ~40 of it node's binary
 *   victoriametrics   34.5 PSS (idle 30.2)          44.6 RSS (idle 42.9)
 *   vmalert           13.7 PSS (idle 13.2)          25.8 RSS (idle 23.8)
 *   vmagent           ~16 MB RSS, ~15 MB PSS idle with ~300 series; 20 MB RSS with ~2,070 (only with remote_write)
 */
import { defineOptions } from '../config/option.js';
import { formatBytes } from '../config/units.js';
import { EdgewatchError, ErrorCode } from '../errors.js';

/**
 * The stack's components, in the order they start: the one list of their names. The names are
 * also the scrape jobs, so `up{job}` and `edgewatch_component_up{component}` join on the same value.
 * The plan owns them because it is the lowest room that needs them: the stack, its API and the
 * fit check all import the plan, and the plan imports nothing of theirs.
 */
export const COMPONENT_NAMES = ['edgewatch', 'victoriametrics', 'vmalert', 'vmagent'] as const;
export type ComponentName = (typeof COMPONENT_NAMES)[number];
/** vmagent runs only with remote_write endpoints; the others always. */
export const OPTIONAL_COMPONENTS: readonly ComponentName[] = ['vmagent'];

/** The components a stack runs: vmagent only when it has somewhere to send. */
export function stackComponentNames(withVmagent: boolean): readonly ComponentName[] {
  return COMPONENT_NAMES.filter((name) => withVmagent || !OPTIONAL_COMPONENTS.includes(name));
}

const MiB = 1024 ** 2;

export const budgetOptions = defineOptions({
  memory: {
    name: 'budget.memory',
    kind: 'bytes',
    default: 300 * MiB,
    description:
      "Memory the whole stack (edgewatch, VictoriaMetrics, vmalert, and vmagent with remote_write endpoints) may use, counted as the sum of their PSS. Sizes VictoriaMetrics' caches and query limits, sets each component's allowance (edgewatch_component_memory_budget_bytes) and is what `edgewatch budget` checks.",
  },
});

/** edgewatch: ~60 MiB peak under load (above), +6% for more sensors (RSS varies ~2 MB a run). */
const EDGEWATCH_ALLOWANCE = 64 * MiB;
/** vmalert: 25.8 MiB peak RSS with 1.112 (PSS alone ~1 MiB less; 13.7 with 1.79), a dozen rules. */
const VMALERT_ALLOWANCE = 26 * MiB;
/**
 * vmagent: ~15 MB PSS measured idle; twice that for catching up on a queue after an outage
 * (blocks read back from disk, one queue per URL) and for series beyond ~300.
 */
const VMAGENT_ALLOWANCE = 32 * MiB;
/**
 * Kept unassigned: merges and the page cache of freshly written data that a cgroup limit also
 * counts. Small, because the allowances are peaks under load already (query spikes included), and
 * clean page cache is reclaimed before anything is killed. 7 MiB at compose's 143 MiB limit.
 */
const HEADROOM_SHARE = 0.05;
/**
 * VictoriaMetrics' floor: 16 MiB of caches plus ~24 MiB its runtime and mapped binary take, plus
 * 4 MiB for one query at a time. At compose's 143 MiB it gets 45.9 MiB: 1.79 peaked at 34.5,
 * 1.112 at 44.6 (53.5 with a 192 MiB budget's GOMEMLIMIT, 44 MiB instead of 34: the Go limit is
 * what holds its heap to the allowance).
 */
const VM_MIN_ALLOWANCE = 44 * MiB;
/** Smallest -memory.allowedBytes: below it the index caches thrash and every query reads disk. */
const VM_MIN_CACHE = 16 * MiB;
/**
 * Caches get a fifth of VictoriaMetrics' allowance: 39 MiB at the default budget, where 32 MiB was
 * measured to keep it at 26–36 MB RSS. The rest is for queries (sized below) and merges.
 */
const VM_CACHE_SHARE = 0.2;
/** VictoriaMetrics' idle footprint outside its caches: Go runtime, binary text, buffers. */
const VM_BASELINE = 24 * MiB;
/** Memory one concurrent query is planned to get; more memory allows more queries at once. */
const QUERY_MEMORY = 32 * MiB;
/**
 * The largest number of concurrent queries: on 2 cores, more would only queue for CPU (the
 * default of 2 × cores assumes a server).
 */
const MAX_CONCURRENT_QUERIES = 4;
/**
 * Memory of one selected series in storage, the estimate VictoriaMetrics ≥ 1.102 uses to derive
 * this limit itself (1.79's fixed default, 300 000, is sized for servers).
 */
const BYTES_PER_QUERIED_SERIES = 200;
/**
 * Compressed samples take ~1 byte each; 2 bytes per sample keeps the blocks one query reads
 * (which count in its PSS as mapped files) within its share of memory.
 */
const BYTES_PER_QUERIED_SAMPLE = 2;
/** An active series costs ~1 KiB of VictoriaMetrics' caches (its capacity-planning figure). */
const CACHE_BYTES_PER_ACTIVE_SERIES = 1024;
/**
 * GOMEMLIMIT is a soft ceiling on Go-managed memory: the collector works harder as the heap nears
 * it, instead of letting GOGC=100 double the heap past the allowance. A quarter of the allowance
 * stays outside it for what Go does not manage (off-heap caches, mapped files). It stays well
 * above the caches' needs: set below them, the collector would run constantly.
 */
const GOMEMLIMIT_SHARE = 0.75;

export interface VictoriaMetricsPlan {
  /** -memory.allowedBytes: VictoriaMetrics' caches. */
  readonly cacheBytes: number;
  /** GOMEMLIMIT. */
  readonly goMemLimitBytes: number;
  /** -search.maxConcurrentRequests. */
  readonly maxConcurrentRequests: number;
  /** -search.maxUniqueTimeseries: series one query may select. */
  readonly maxUniqueTimeseries: number;
  /** -search.maxSamplesPerQuery: raw samples one query may read. */
  readonly maxSamplesPerQuery: number;
  /** -storage.maxHourlySeries: new series accepted per hour; the cardinality guard. */
  readonly maxHourlySeries: number;
  /** -storage.maxDailySeries. */
  readonly maxDailySeries: number;
}

export interface BudgetPlan {
  readonly budgetBytes: number;
  /** What each component may use (PSS); edgewatch_component_memory_budget_bytes. vmagent only when it runs. */
  readonly allowances: Readonly<Record<Exclude<ComponentName, 'vmagent'>, number>> & {
    readonly vmagent?: number;
  };
  readonly headroomBytes: number;
  readonly victoriaMetrics: VictoriaMetricsPlan;
  /** vmalert's GOMEMLIMIT. */
  readonly vmalertGoMemLimitBytes: number;
  /** vmagent's GOMEMLIMIT. */
  readonly vmagentGoMemLimitBytes: number;
}

/** The smallest budget the stack fits in: the fixed allowances and VictoriaMetrics' floor, plus headroom. */
export const minimumBudgetBytes =
  Math.ceil((EDGEWATCH_ALLOWANCE + VMALERT_ALLOWANCE + VM_MIN_ALLOWANCE) / (1 - HEADROOM_SHARE) / MiB) * MiB;

/** The same with vmagent running (remote_write endpoints configured). */
export const minimumBudgetWithVmagentBytes =
  Math.ceil(
    (EDGEWATCH_ALLOWANCE + VMALERT_ALLOWANCE + VMAGENT_ALLOWANCE + VM_MIN_ALLOWANCE) /
      (1 - HEADROOM_SHARE) /
      MiB,
  ) * MiB;

/**
 * Throws CONFIG_INVALID, naming budget.memory and the minimum, when the budget is too small.
 * With vmagent, its fixed allowance comes out of VictoriaMetrics' share.
 */
export function planBudget(budgetBytes: number, withVmagent = false): BudgetPlan {
  const minimum = withVmagent ? minimumBudgetWithVmagentBytes : minimumBudgetBytes;
  if (budgetBytes < minimum) {
    const agent = withVmagent ? `, vmagent ${formatBytes(VMAGENT_ALLOWANCE)}` : '';
    throw new EdgewatchError(
      ErrorCode.CONFIG_INVALID,
      `--${budgetOptions.memory.name}=${formatBytes(budgetBytes)} is too small: the stack needs at least ${formatBytes(minimum)} (edgewatch ${formatBytes(EDGEWATCH_ALLOWANCE)}, vmalert ${formatBytes(VMALERT_ALLOWANCE)}${agent}, VictoriaMetrics ${formatBytes(VM_MIN_ALLOWANCE)}, plus ${HEADROOM_SHARE * 100}% headroom)`,
    );
  }
  const headroomBytes = Math.floor(budgetBytes * HEADROOM_SHARE);
  const agentBytes = withVmagent ? VMAGENT_ALLOWANCE : 0;
  const vmBytes = budgetBytes - headroomBytes - EDGEWATCH_ALLOWANCE - VMALERT_ALLOWANCE - agentBytes;
  const cacheBytes = Math.max(VM_MIN_CACHE, Math.floor((vmBytes * VM_CACHE_SHARE) / MiB) * MiB);
  const queryBytes = vmBytes - cacheBytes - VM_BASELINE;
  const maxConcurrentRequests = Math.min(
    MAX_CONCURRENT_QUERIES,
    Math.max(1, Math.floor(queryBytes / QUERY_MEMORY)),
  );
  const perQueryBytes = queryBytes / maxConcurrentRequests;
  const maxHourlySeries = Math.floor(cacheBytes / CACHE_BYTES_PER_ACTIVE_SERIES);
  return {
    budgetBytes,
    allowances: {
      edgewatch: EDGEWATCH_ALLOWANCE,
      victoriametrics: vmBytes,
      vmalert: VMALERT_ALLOWANCE,
      ...(withVmagent ? { vmagent: VMAGENT_ALLOWANCE } : {}),
    },
    headroomBytes,
    victoriaMetrics: {
      cacheBytes,
      goMemLimitBytes: wholeMiB(vmBytes * GOMEMLIMIT_SHARE),
      maxConcurrentRequests,
      maxUniqueTimeseries: Math.floor(perQueryBytes / BYTES_PER_QUERIED_SERIES),
      maxSamplesPerQuery: Math.floor(perQueryBytes / BYTES_PER_QUERIED_SAMPLE),
      maxHourlySeries,
      // Room for the whole hourly set to be replaced once a day (a relabelling, a new sensor).
      maxDailySeries: 2 * maxHourlySeries,
    },
    vmalertGoMemLimitBytes: wholeMiB(VMALERT_ALLOWANCE * GOMEMLIMIT_SHARE),
    vmagentGoMemLimitBytes: wholeMiB(VMAGENT_ALLOWANCE * GOMEMLIMIT_SHARE),
  };
}

function wholeMiB(bytes: number): number {
  return Math.floor(bytes / MiB) * MiB;
}

/** GOMEMLIMIT's syntax: an integer with a MiB suffix. */
export function goMemLimit(bytes: number): string {
  return `${Math.floor(bytes / MiB)}MiB`;
}

/** A component's allowance by name; undefined for a name the plan does not know. */
export function allowanceOf(plan: BudgetPlan, name: string): number | undefined {
  return Object.hasOwn(plan.allowances, name)
    ? (plan.allowances as Partial<Record<string, number>>)[name]
    : undefined;
}
