/**
 * What one endpoint is known to have received, from successive snapshots of vmagent's /metrics.
 * Pure: time comes in with every observation.
 *
 * vmagent's disk queue survives kills intact; what it loses is in RAM: the block a queue is
 * retrying when vmagent dies, and blocks the central refuses with 400. So a poll that saw no
 * failed send, no refusal, no queue drop and the same vmagent process, and in which everything
 * pending at the previous poll was sent, proves that every sample scraped before the previous
 * poll arrived: `deliveredUntil` moves up to it. Any failure opens a gap, closed once the link is
 * clean again by re-sending [deliveredUntil, previous poll] from local storage (the backfill).
 * While the link is healthy no gap opens, and nothing is re-sent.
 */
import type { UrlSnapshot } from './vmagent-metrics.js';

/** Why the last failing poll failed. */
export type FailureCause =
  | 'vmagent-unreachable'
  | 'vmagent-restarted'
  | 'send-errors'
  | 'refused'
  | 'queue-dropped';

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

export class DeliveryTracker {
  #previous: Previous | undefined;
  #deliveredUntilMs: number | undefined;
  /** A failure was seen since deliveredUntil: that window must be re-sent. */
  #gap: boolean;
  #backfillRunning = false;
  /** Down from a failure until a clean, drained poll. */
  #down = false;

  /**
   * @param deliveredUntilMs persisted by an earlier run; undefined on the first start ever.
   * @param marginMs added on both sides of a window: vmagent's flush interval and the poll's own
   *   jitter. Re-sending a few seconds twice is harmless to a deduplicating central.
   */
  constructor(
    deliveredUntilMs: number | undefined,
    private readonly marginMs: number,
  ) {
    this.#deliveredUntilMs = deliveredUntilMs;
    // An earlier run ended (a restart, a power cut): whatever vmagent held in RAM then is gone.
    this.#gap = deliveredUntilMs !== undefined;
  }

  get deliveredUntilMs(): number | undefined {
    return this.#deliveredUntilMs;
  }

  get gapOpen(): boolean {
    return this.#gap;
  }

  observe(nowMs: number, snapshot: UrlSnapshot | undefined, vmagentStartedAt: number): Observation {
    const previous = this.#previous;
    this.#previous =
      snapshot === undefined ? undefined : { atMs: nowMs, startedAt: vmagentStartedAt, snapshot };
    if (snapshot === undefined) return this.#fail('vmagent-unreachable', previous, nowMs);
    if (previous === undefined) return { up: !this.#down };
    const before = previous.snapshot;
    // A new vmagent: the old one's RAM blocks are lost, and its counters are gone with it.
    if (previous.startedAt !== vmagentStartedAt) return this.#fail('vmagent-restarted', previous, nowMs);
    if (snapshot.packetsDropped > before.packetsDropped) return this.#fail('refused', previous, nowMs);
    if (snapshot.queueBytesDropped > before.queueBytesDropped)
      return this.#fail('queue-dropped', previous, nowMs);
    if (snapshot.errors > before.errors || snapshot.failedRequests > before.failedRequests) {
      return this.#fail('send-errors', previous, nowMs);
    }
    // Between retries (backoff up to 60 s) no error is counted, and after a 400 the queue is
    // empty because the block was dropped: only an accepted send ends an outage.
    const accepted = snapshot.ok > before.ok;
    const drained = snapshot.pendingBytes === 0 || (snapshot.pendingBytes <= DRAIN_SLACK_BYTES && accepted);
    if (!drained || (this.#down && !accepted)) return { up: !this.#down };
    this.#down = false;
    if (this.#gap) {
      if (this.#backfillRunning) return { up: true };
      const to = previous.atMs + this.marginMs;
      const from = (this.#deliveredUntilMs ?? to) - this.marginMs;
      return { up: true, backfill: { fromMs: from, toMs: to } };
    }
    this.#advance(previous.atMs - this.marginMs);
    return { up: true };
  }

  /** The monitor started re-sending a window. */
  backfillStarted(): void {
    this.#backfillRunning = true;
  }

  /** The window was re-sent (ok) or not; a failure keeps the gap open for the next clean poll. */
  backfillEnded(window: BackfillWindow, ok: boolean): void {
    this.#backfillRunning = false;
    if (!ok) return;
    this.#gap = false;
    this.#advance(window.toMs - this.marginMs);
  }

  #advance(toMs: number): void {
    if (this.#deliveredUntilMs === undefined || toMs > this.#deliveredUntilMs) this.#deliveredUntilMs = toMs;
  }

  #fail(cause: FailureCause, previous: Previous | undefined, nowMs: number): Observation {
    this.#down = true;
    // On the first start ever there is no earlier point to re-send from: what may be missing
    // starts at the last clean poll.
    if (this.#deliveredUntilMs === undefined)
      this.#deliveredUntilMs = (previous?.atMs ?? nowMs) - this.marginMs;
    this.#gap = true;
    return { up: false, cause };
  }
}
