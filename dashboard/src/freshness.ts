/**
 * Whether what a view shows is current. A view is fresh while its last successful refresh is
 * younger than one refresh interval plus a grace for the request itself; past that every view
 * says how old its data is and why, if known, and keeps the last values marked stale. Pure: the
 * clock is passed in, so test/dashboard/freshness.test.ts runs it without a browser.
 */
import { formatSeconds } from './format.js';

/** The client's deadline for one refresh's requests: edgewatch answers in milliseconds. */
export const REQUEST_DEADLINE_MS = 5000;
/**
 * How long VictoriaMetrics may take per query of a batch: shorter than the client's deadline, so
 * a stuck VictoriaMetrics is named as such instead of looking like a stuck edgewatch.
 */
export const QUERY_TIMEOUT_MS = 3000;
/** Past one interval: the refresh's own time (at most the deadline) and a second for the timer. */
export const GRACE_MS = REQUEST_DEADLINE_MS + 1000;

export interface FreshnessInput {
  nowMs: number;
  /** End of the last refresh whose data the view shows; undefined before the first one. */
  lastOkMs: number | undefined;
  /** Start of the current view's first refresh, for "no data yet". */
  sinceMs: number;
  /** 0: auto-refresh off or paused. */
  intervalMs: number;
  /** Why the last refresh failed, if it did. */
  reason: string | undefined;
}

export interface Freshness {
  stale: boolean;
  /** Seconds since the data was fetched; undefined without data. */
  ageSeconds: number | undefined;
  /** For the banner; '' when fresh. */
  text: string;
}

export function freshness(f: FreshnessInput): Freshness {
  const ageMs = f.lastOkMs === undefined ? undefined : f.nowMs - f.lastOkMs;
  const ageSeconds = ageMs === undefined ? undefined : ageMs / 1000;
  const why = f.reason ? `: ${f.reason}` : '';
  if (ageMs === undefined) {
    const waited = f.nowMs - f.sinceMs;
    const stale = f.reason !== undefined || waited > REQUEST_DEADLINE_MS;
    return { stale, ageSeconds, text: stale ? `No data yet${why || ': edgewatch not answering'}` : '' };
  }
  // Refreshing off: the page does not claim to be current, and says how old it is instead.
  const limit = f.intervalMs === 0 ? Number.POSITIVE_INFINITY : f.intervalMs + GRACE_MS;
  // A refresh that failed past one interval needs no grace: the next data is known not to come.
  const failedLate = f.reason !== undefined && ageMs > f.intervalMs;
  const stale = ageMs > limit || failedLate;
  return {
    stale,
    ageSeconds,
    text: stale ? `Not current: data from ${formatSeconds(ageMs / 1000)} ago${why}` : '',
  };
}

/** Failure text for a refresh, from what the browser knows. */
export function failureReason(kind: 'offline' | 'deadline' | 'network' | 'http', detail?: string): string {
  switch (kind) {
    case 'offline':
      return 'this browser is offline';
    case 'deadline':
      return `edgewatch not answering (nothing within ${REQUEST_DEADLINE_MS / 1000} s)`;
    case 'network':
      return 'edgewatch unreachable (network error)';
    default:
      return detail ?? 'edgewatch answered with an error';
  }
}

/** VictoriaMetrics' absence as Now says it: readings come from edgewatch itself. */
export const vmDownText = 'VictoriaMetrics down — history and alerting unavailable, readings still live';
