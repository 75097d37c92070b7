/**
 * Active alerts by fingerprint and a bounded history of state changes.
 *
 * vmalert re-sends every firing alert at each evaluation, so a notification is usually nothing
 * new: only a change of state (an unknown alert firing, an active one resolved or expired)
 * returns an `AlertChange` and enters the history. Both collections are bounded, so a rule that
 * fans out over thousands of series cannot grow edgewatch's memory.
 */

import type { AlertState } from '../api/types.js';
import { entriesLength } from './alert-limits.js';
import { type AlertLabels, fingerprint } from './fingerprint.js';
import type { PostedAlert } from './payload.js';

/** V8 overhead of one stored alert beyond its strings, bytes (objects, map entry; measured ~200). */
const ALERT_OVERHEAD_BYTES = 256;

/** What one alert counts against maxMemoryBytes: strings at 2 bytes a character, plus overhead. */
export function alertBytes(labels: AlertLabels, annotations: AlertLabels): number {
  return 2 * (entriesLength(labels) + entriesLength(annotations)) + ALERT_OVERHEAD_BYTES;
}

/**
 * Who sent an alert: vmalert (it holds the token edgewatch generates at start), edgewatch itself
 * (what the pipeline cannot say about itself: storage read-only, a component down; never over
 * HTTP), or anyone else. Each has its own alerting.max-active, so a flood from elsewhere never
 * crowds out vmalert or edgewatch.
 */
export type AlertSender = 'vmalert' | 'edgewatch' | 'other';

export interface ActiveAlert {
  fingerprint: string;
  sender: AlertSender;
  name: string;
  severity: string;
  labels: AlertLabels;
  annotations: AlertLabels;
  /** Epoch ms: the sender's startsAt, else when edgewatch first heard of it. */
  startsAt: number;
  /** Epoch ms of the last notification. */
  updatedAt: number;
  /** Epoch ms after which the alert counts as resolved unless re-sent. */
  expiresAt: number;
}

export interface AlertChange {
  /** Epoch ms the change was noticed. */
  time: number;
  fingerprint: string;
  name: string;
  severity: string;
  state: AlertState;
  /** Left out (vmalert) by hand-made changes in tests. */
  sender?: AlertSender;
  labels: AlertLabels;
  annotations: AlertLabels;
  startsAt: number;
}

export interface AlertStoreOptions {
  maxActive: number;
  /** Per sender, as counted by alertBytes. Default: unbounded (max-active and the per-alert limits still hold). */
  maxMemoryBytes?: number;
  historySize: number;
  /** How long an alert without endsAt stays active after its last notification, ms. */
  resolveTimeoutMs: number;
}

export interface ReceiveResult {
  changes: AlertChange[];
  /** New alerts not stored because maxActive alerts were active. */
  rejected: number;
}

/** Alerts without a severity label are grouped under this value. */
const NO_SEVERITY = 'none';

export class AlertStore {
  /** Keyed by sender and fingerprint: another sender cannot update or resolve vmalert's alerts. */
  readonly #active = new Map<string, ActiveAlert>();
  readonly #count: Record<AlertSender, number> = { vmalert: 0, edgewatch: 0, other: 0 };
  readonly #bytes: Record<AlertSender, number> = { vmalert: 0, edgewatch: 0, other: 0 };
  /** Oldest first; trimmed to historySize. */
  readonly #history: AlertChange[] = [];

  constructor(private readonly options: AlertStoreOptions) {}

  /** Applies one notification's alerts; returns the state changes in order. */
  receive(alerts: readonly PostedAlert[], now: number, sender: AlertSender = 'vmalert'): ReceiveResult {
    const changes: AlertChange[] = [];
    let rejected = 0;
    for (const posted of alerts) {
      const fp = fingerprint(posted.labels);
      const known = this.#active.get(`${sender}/${fp}`);
      if (posted.endsAt !== undefined && posted.endsAt <= now) {
        // A resolve for an alert we never saw firing (edgewatch restarted in between) is
        // not a change for anyone watching edgewatch.
        if (known) changes.push(this.#resolve(known, posted.annotations, now));
        continue;
      }
      const expiresAt = posted.endsAt ?? now + this.options.resolveTimeoutMs;
      const max = this.options.maxMemoryBytes ?? Number.POSITIVE_INFINITY;
      if (known) {
        // New annotations that would pass the ceiling are not taken: the alert stays as it was.
        const delta =
          alertBytes(known.labels, posted.annotations) - alertBytes(known.labels, known.annotations);
        if (this.#bytes[sender] + delta <= max) {
          known.annotations = posted.annotations;
          this.#bytes[sender] += delta;
        }
        known.updatedAt = now;
        known.expiresAt = expiresAt;
        continue;
      }
      const bytes = alertBytes(posted.labels, posted.annotations);
      if (this.#count[sender] >= this.options.maxActive || this.#bytes[sender] + bytes > max) {
        rejected++;
        continue;
      }
      const alert: ActiveAlert = {
        fingerprint: fp,
        sender,
        name: posted.labels.alertname as string,
        severity: posted.labels.severity ?? NO_SEVERITY,
        labels: posted.labels,
        annotations: posted.annotations,
        startsAt: posted.startsAt ?? now,
        updatedAt: now,
        expiresAt,
      };
      this.#active.set(`${sender}/${fp}`, alert);
      this.#count[sender]++;
      this.#bytes[sender] += bytes;
      changes.push(this.#record(alert, 'firing', now));
    }
    return { changes, rejected };
  }

  /** Resolves alerts whose expiry passed without a re-send, as Alertmanager does. */
  expire(now: number): AlertChange[] {
    const changes: AlertChange[] = [];
    for (const alert of this.#active.values()) {
      if (alert.expiresAt <= now) changes.push(this.#resolve(alert, alert.annotations, now));
    }
    return changes;
  }

  /** Active alerts, newest first. */
  active(): ActiveAlert[] {
    return [...this.#active.values()].sort((a, b) => b.startsAt - a.startsAt || a.name.localeCompare(b.name));
  }

  /** State changes, newest first. */
  history(): AlertChange[] {
    return this.#history.slice().reverse();
  }

  /**
   * Active alerts per severity at `now`. Alerts past their expiry that the next expire() will
   * resolve are not counted, so the count agrees with a listing that expires first; counting
   * changes nothing (no resolve, no history entry).
   */
  countBySeverity(now = Number.NEGATIVE_INFINITY): Map<string, number> {
    const counts = new Map<string, number>();
    for (const alert of this.#active.values()) {
      if (alert.expiresAt <= now) continue;
      counts.set(alert.severity, (counts.get(alert.severity) ?? 0) + 1);
    }
    return counts;
  }

  #resolve(alert: ActiveAlert, annotations: AlertLabels, now: number): AlertChange {
    this.#active.delete(`${alert.sender}/${alert.fingerprint}`);
    this.#count[alert.sender]--;
    this.#bytes[alert.sender] -= alertBytes(alert.labels, alert.annotations);
    return this.#record({ ...alert, annotations }, 'resolved', now);
  }

  #record(alert: ActiveAlert, state: AlertState, now: number): AlertChange {
    const change: AlertChange = {
      time: now,
      fingerprint: alert.fingerprint,
      name: alert.name,
      severity: alert.severity,
      state,
      sender: alert.sender,
      labels: alert.labels,
      annotations: alert.annotations,
      startsAt: alert.startsAt,
    };
    this.#history.push(change);
    if (this.#history.length > this.options.historySize) this.#history.shift();
    return change;
  }
}
