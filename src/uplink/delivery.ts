/**
 * What one endpoint is known to have received, from successive snapshots of vmagent's /metrics.
 * Pure: time comes in with every observation.
 *
 * vmagent's disk queue survives kills intact, and connection errors, 401 and 500 are retried
 * until they succeed: an outage alone loses nothing (measured: every sample of a 60 s outage
 * delivered). What vmagent loses is the block a queue holds in RAM while retrying when vmagent
 * dies, the blocks a central refuses with 400, and the oldest data at the queue's cap. Those
 * events open a gap. A poll that saw no failure, the same vmagent and an accepted, drained queue
 * proves every sample scraped before the previous poll arrived or is in the gap:
 * `deliveredUntil` moves up to it, or the gap [deliveredUntil, last loss] is handed out to be
 * re-sent from local storage (the backfill). A healthy link, and an outage that vmagent rides
 * out, re-send nothing.
 */
import type { UrlSnapshot } from './vmagent-metrics.js';

/** Why the last failing poll failed. */
export type FailureCause =
  | 'vmagent-unreachable'
  | 'vmagent-restarted'
  | 'send-errors'
  | 'refused'
  | 'queue-dropped';

/** Failures after which vmagent may have lost data; send errors alone are retried until delivered. */
const LOSSY: ReadonlySet<FailureCause> = new Set(['vmagent-restarted', 'refused', 'queue-dropped']);

export interface BackfillWindow {
  readonly fromMs: number;
  readonly toMs: number;
}

export interface Observation {
  /** The link accepted everything this poll (no new error, refusal or drop). */
  readonly up: boolean;
  readonly cause?: FailureCause;
  /** A window to re-send now; undefined when none is due. */
  readonly backfill?: BackfillWindow;
}

/**
 * Pending bytes that still count as drained: the block vmagent is filling between flushes (~1 s
 * of scrapes; ~12 KB for 300 series measured), so a busy but healthy link is not "behind".
 */
const DRAIN_SLACK_BYTES = 64 * 1024;

interface Previous {
  readonly atMs: number;
  readonly startedAt: number;
  readonly snapshot: UrlSnapshot;
}

interface Issued {
  readonly lossAtMs: number;
  /** deliveredUntil once the window is re-sent. */
  readonly deliveredMs: number;
}

export class DeliveryTracker {
  #previous: Previous | undefined;
  #deliveredUntilMs: number | undefined;
  /** The latest event that may have lost data since deliveredUntil; undefined: no gap. */
  #lossAtMs: number | undefined;
  /** An earlier run ended with this one's first observation still to come. */
  #restarted: boolean;
  #issued: Issued | undefined;
  /** Down from a failure until an accepted, drained poll. */
  #down = false;

  /**
   * @param deliveredUntilMs persisted by an earlier run; undefined on the first start ever.
   * @param startedMs when this run began: on the first start ever, what may be lost begins there.
   * @param marginMs added on both sides of a window: vmagent's flush interval and the poll's own
   *   jitter. Re-sending a few seconds twice is harmless to a deduplicating central.
   */
  constructor(
    deliveredUntilMs: number | undefined,
    private readonly startedMs: number,
    private readonly marginMs: number,
  ) {
    this.#deliveredUntilMs = deliveredUntilMs;
    // An earlier run ended (a restart, a power cut): whatever vmagent held in RAM then is gone.
    this.#restarted = deliveredUntilMs !== undefined;
  }

  get deliveredUntilMs(): number | undefined {
    return this.#deliveredUntilMs;
  }

  get gapOpen(): boolean {
    return this.#lossAtMs !== undefined || this.#restarted;
  }

  observe(nowMs: number, snapshot: UrlSnapshot | undefined, vmagentStartedAt: number): Observation {
    if (this.#restarted) {
      this.#restarted = false;
      this.#lossAtMs = nowMs;
    }
    // Unreachable (busy, restarting) is down, not a loss by itself: the last snapshot is kept, and
    // the next one tells by vmagent's start time whether it restarted meanwhile.
    if (snapshot === undefined) return this.#fail('vmagent-unreachable', nowMs);
    const previous = this.#previous;
    this.#previous = { atMs: nowMs, startedAt: vmagentStartedAt, snapshot };
    if (previous === undefined) return { up: !this.#down };
    const before = previous.snapshot;
    // A new vmagent: the old one's RAM blocks are lost, and its counters are gone with it.
    if (previous.startedAt !== vmagentStartedAt) return this.#fail('vmagent-restarted', nowMs);
    if (snapshot.packetsDropped > before.packetsDropped) return this.#fail('refused', nowMs);
    if (snapshot.queueBytesDropped > before.queueBytesDropped) {
      return this.#fail('queue-dropped', nowMs);
    }
    if (snapshot.errors > before.errors || snapshot.failedRequests > before.failedRequests) {
      return this.#fail('send-errors', nowMs);
    }
    // Between retries (backoff up to 60 s) no error is counted, and after a 400 the queue is
    // empty because the block was dropped: only an accepted send ends an outage.
    const accepted = snapshot.ok > before.ok;
    const drained = snapshot.pendingBytes === 0 || (snapshot.pendingBytes <= DRAIN_SLACK_BYTES && accepted);
    if (!drained || (this.#down && !accepted)) return { up: !this.#down };
    this.#down = false;
    const deliveredMs = previous.atMs - this.marginMs;
    if (this.#lossAtMs === undefined) {
      this.#advance(deliveredMs);
      return { up: true };
    }
    if (this.#issued !== undefined) return { up: true };
    this.#issued = { lossAtMs: this.#lossAtMs, deliveredMs };
    const to = this.#lossAtMs + this.marginMs;
    const from = (this.#deliveredUntilMs ?? to) - this.marginMs;
    return { up: true, backfill: { fromMs: from, toMs: to } };
  }

  /** The window handed out was re-sent (ok) or not; a failure keeps the gap for the next clean poll. */
  backfillEnded(ok: boolean): void {
    const issued = this.#issued;
    this.#issued = undefined;
    if (!ok || issued === undefined) return;
    this.#advance(issued.deliveredMs);
    // A loss during the backfill is a gap of its own.
    if (this.#lossAtMs === issued.lossAtMs) this.#lossAtMs = undefined;
  }

  #advance(toMs: number): void {
    if (this.#deliveredUntilMs === undefined || toMs > this.#deliveredUntilMs) this.#deliveredUntilMs = toMs;
  }

  #fail(cause: FailureCause, nowMs: number): Observation {
    this.#down = true;
    if (LOSSY.has(cause)) {
      this.#lossAtMs = nowMs;
      // On the first start ever nothing was proven delivered yet: the gap starts with this run.
      if (this.#deliveredUntilMs === undefined) this.#deliveredUntilMs = this.startedMs;
    }
    return { up: false, cause };
  }
}
