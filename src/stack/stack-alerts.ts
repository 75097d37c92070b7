/**
 * Alerts edgewatch raises itself about the alerting pipeline: vmalert cannot alert that
 * vmalert is down, and its rules cannot see a disk that filled faster than a `for:` (or that
 * stopped VictoriaMetrics storing the very samples they are evaluated from). Checked on the
 * sampler from the supervisor's statuses and the storage state, and handed to the alert store
 * like vmalert's alerts: listed by GET /api/alerts, logged, acted on, resolved when the
 * condition clears.
 */
import { formatBytes, megabytes } from '../config/units.js';
import type { Logger } from '../log/logger.js';
import type { SampleJob } from '../sampling/sampler.js';
import type { ComponentStatus } from './component-types.js';
import type { StorageState } from './storage-state.js';

/** The shape alerting's raise() takes (PostedAlert), without stack importing alerts. */
export interface RaisedAlert {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  /** Epoch ms; at or before now resolves the alert. */
  readonly endsAt: number;
}

export interface StackCondition {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  /**
   * Checks in a row the condition must hold before it fires: a component restarted by the
   * supervisor is unhealthy for the ~0.5 s of its backoff, which is not worth a siren.
   */
  readonly holdChecks: number;
}

export interface StackFacts {
  /** The supervised components (edgewatch itself is left out: it is the one checking). */
  readonly components: readonly ComponentStatus[];
  readonly storage: StorageState;
}

export interface StackThresholds {
  /** storage.path, for the annotations. */
  readonly dataPath: string;
  /** vm.min-free-disk-space: VictoriaMetrics goes read-only below it. */
  readonly minFreeBytes: number;
  /** alerting.disk-free-low: the share of the filesystem that counts as almost full. */
  readonly diskFreeLow: number;
}

const RAISED_BY = { raised_by: 'edgewatch' };

/** The conditions that hold now, each identified by its labels. */
export function stackConditions(facts: StackFacts, t: StackThresholds): StackCondition[] {
  const out: StackCondition[] = [];
  for (const c of facts.components) {
    // 'stopped' is what edgewatch did on purpose (shutdown stops vmalert first, while this job
    // still runs): not an outage to page anyone about.
    if (c.health === 'unhealthy' || c.health === 'starting') {
      out.push({
        labels: { alertname: 'ComponentDown', severity: 'critical', component: c.name, ...RAISED_BY },
        annotations: {
          summary: `${c.name} is ${c.health}`,
          description: `${c.name} does not answer its health check (${c.health}, ${c.restarts} restarts); edgewatch's log has its last output. While it is down, ${c.name === 'vmalert' ? 'no rule is evaluated' : 'nothing is stored and no rule can be evaluated'}.`,
        },
        holdChecks: 2,
      });
    }
    if (c.crashLooping) {
      out.push({
        labels: { alertname: 'ComponentCrashLooping', severity: 'critical', component: c.name, ...RAISED_BY },
        annotations: {
          summary: `${c.name} keeps crashing`,
          description: `${c.name} was restarted ${c.restarts} times, 5 of them within 2 minutes; edgewatch's log has its output before each crash.`,
        },
        holdChecks: 1,
      });
    }
  }
  const { disk, readOnly } = facts.storage;
  if (readOnly === true) {
    out.push({
      labels: { alertname: 'StorageReadOnly', severity: 'critical', ...RAISED_BY },
      annotations: {
        summary: 'VictoriaMetrics stopped storing samples',
        description: `VictoriaMetrics is read-only: less than ${formatBytes(t.minFreeBytes)} (vm.min-free-disk-space) is free at ${t.dataPath}. New samples are dropped until space is freed; stored data can still be queried.`,
      },
      holdChecks: 1,
    });
  }
  if (disk !== undefined && almostFull(disk.availableBytes, disk.sizeBytes, t)) {
    out.push({
      labels: { alertname: 'DiskAlmostFull', severity: 'critical', ...RAISED_BY },
      annotations: {
        summary: `Disk of ${t.dataPath} almost full`,
        description: `${megabytes(disk.availableBytes)} MB of ${megabytes(disk.sizeBytes)} MB is free at ${t.dataPath}: below ${t.diskFreeLow * 100}% (alerting.disk-free-low) or twice vm.min-free-disk-space (${formatBytes(t.minFreeBytes)}), where VictoriaMetrics stops storing.`,
      },
      holdChecks: 1,
    });
  }
  return out;
}

/**
 * Alerts whose condition could not be checked this time (VictoriaMetrics restarting does not
 * answer /metrics, statfs failed): they keep their state rather than resolve and fire again.
 */
export function uncheckedAlerts(facts: StackFacts): string[] {
  const out: string[] = [];
  if (facts.storage.readOnly === undefined) out.push('StorageReadOnly');
  if (facts.storage.disk === undefined) out.push('DiskAlmostFull');
  return out;
}

function almostFull(available: number, size: number, t: StackThresholds): boolean {
  return available < 2 * t.minFreeBytes || (size > 0 && available / size < t.diskFreeLow);
}

export interface StackAlertsOptions {
  readonly facts: () => Promise<StackFacts>;
  readonly thresholds: StackThresholds;
  readonly raise: (alerts: RaisedAlert[]) => void;
  /** How often the job runs; a firing alert not re-raised within 4 of these expires. */
  readonly intervalMs: number;
  readonly log: Logger;
  readonly now?: () => number;
}

/** Turns the conditions of each check into firing and resolved alerts. */
export class StackAlerts {
  /** Checks in a row each condition (by its labels' key) has held. */
  #held = new Map<string, number>();
  /** The alerts raised and not yet resolved. */
  #firing = new Map<string, StackCondition>();
  readonly #now: () => number;

  constructor(private readonly options: StackAlertsOptions) {
    this.#now = options.now ?? Date.now;
  }

  job(): SampleJob {
    return {
      name: 'stack-alerts',
      intervalMs: this.options.intervalMs,
      run: async (signal) => {
        const facts = await this.options.facts();
        if (signal.aborted) return;
        this.evaluate(stackConditions(facts, this.options.thresholds), uncheckedAlerts(facts));
      },
    };
  }

  /**
   * Applies one check's conditions: raises those held long enough, resolves those gone, keeps
   * firing the ones named in `unchecked`.
   */
  evaluate(conditions: readonly StackCondition[], unchecked: readonly string[] = []): void {
    const now = this.#now();
    const held = new Map<string, number>();
    const raised: RaisedAlert[] = [];
    const endsAt = now + 4 * this.options.intervalMs;
    for (const condition of conditions) {
      const key = JSON.stringify(condition.labels);
      const count = (this.#held.get(key) ?? 0) + 1;
      held.set(key, count);
      if (count >= condition.holdChecks || this.#firing.has(key)) {
        this.#firing.set(key, condition);
        raised.push({ labels: condition.labels, annotations: condition.annotations, endsAt });
      }
    }
    for (const [key, condition] of this.#firing) {
      if (held.has(key)) continue;
      if (unchecked.includes(condition.labels.alertname ?? '')) {
        held.set(key, this.#held.get(key) ?? 1);
        raised.push({ labels: condition.labels, annotations: condition.annotations, endsAt });
        continue;
      }
      this.#firing.delete(key);
      raised.push({ labels: condition.labels, annotations: condition.annotations, endsAt: now });
    }
    this.#held = held;
    if (raised.length > 0) this.options.raise(raised);
  }
}
