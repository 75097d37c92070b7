/**
 * Watches every remote_write endpoint through vmagent's /metrics on a sampler job, renders
 * edgewatch_uplink_*, logs each change of state, persists deliveredUntil and runs the backfill
 * when a gap closes. Costs one local HTTP GET per uplink.poll-interval while healthy.
 */
import type { UplinkJson } from '../api/types.js';
import type { Logger } from '../log/logger.js';
import type { SampleJob } from '../sampling/sampler.js';
import { backfill } from './backfill.js';
import { CentralError } from './central-client.js';
import { type BackfillWindow, DeliveryTracker } from './delivery.js';
import { DeliveryStore } from './delivery-store.js';
import type { DeviceLabels, RemoteWriteEndpoint } from './remote-write-config.js';
import { endpointLabel, UplinkCollector } from './uplink-collector.js';
import { parseVmagentMetrics, type UrlSnapshot } from './vmagent-metrics.js';

export interface UplinkMonitorSettings {
  /** vmagent's base URL, e.g. http://127.0.0.1:8429. */
  readonly vmagentUrl: string;
  /** The local VictoriaMetrics' base URL: what the backfill exports from. */
  readonly localUrl: string;
  readonly endpoints: readonly RemoteWriteEndpoint[];
  readonly deviceLabels: DeviceLabels;
  /** Scrape jobs: the series vmagent sends. */
  readonly jobs: readonly string[];
  readonly rateLimitBytes: number;
  /** File for deliveredUntil, on the data directory. */
  readonly statePath: string;
  readonly pollIntervalMs: number;
  /** Widening of every window (flush interval, scrape interval, poll jitter). */
  readonly marginMs: number;
  readonly log: Logger;
  readonly now?: () => number;
}

/** A backfill the central refused is retried after this, doubling, at most BACKOFF_MAX_MS. */
const BACKOFF_MIN_MS = 10_000;
const BACKOFF_MAX_MS = 600_000;
const IMPORT_TIMEOUT_MS = 60_000;

interface EndpointState {
  readonly endpoint: RemoteWriteEndpoint;
  readonly label: string;
  /** vmagent's 1-based URL position: the local VictoriaMetrics is 1. */
  readonly position: number;
  readonly tracker: DeliveryTracker;
  up: boolean;
  previous?: UrlSnapshot;
  retryAtMs: number;
  failures: number;
}

export class UplinkMonitor {
  readonly collector = new UplinkCollector();
  readonly #s: UplinkMonitorSettings;
  readonly #now: () => number;
  readonly #store: DeliveryStore;
  readonly #states: EndpointState[];
  readonly #abort = new AbortController();
  readonly #running = new Set<Promise<void>>();

  /** Each endpoint's state now, for /api/stack and the dashboard: the collector's values. */
  report(): UplinkJson[] {
    const c = this.collector;
    return this.#states.map(({ label }) => {
      const endpoint = { endpoint: label };
      const until = c.deliveredUntil.series(endpoint).value;
      const status = c.lastErrorStatus.series(endpoint).value;
      return {
        endpoint: label,
        up: c.up.series(endpoint).value === 1,
        pending_bytes: c.pending.series(endpoint).value,
        queue_max_bytes: c.queueMax.series(endpoint).value,
        delivered_until: until > 0 ? new Date(until * 1000).toISOString() : null,
        last_error_status: status > 0 ? status : null,
        refused_blocks: c.refusedBlocks.series(endpoint).value,
        dropped_bytes: c.queueDropped.series(endpoint).value,
      };
    });
  }

  constructor(s: UplinkMonitorSettings) {
    this.#s = s;
    this.#now = s.now ?? Date.now;
    this.#store = new DeliveryStore(s.statePath, this.#now);
    this.#states = s.endpoints.map((endpoint, i) => {
      const label = endpointLabel(endpoint.url);
      this.collector.queueMax.series({ endpoint: label }).value = endpoint.maxDiskUsageBytes;
      return {
        endpoint,
        label,
        position: i + 2,
        tracker: new DeliveryTracker(this.#store.get(endpoint.url), this.#now(), s.marginMs),
        up: true,
        retryAtMs: 0,
        failures: 0,
      };
    });
  }

  job(): SampleJob {
    return { name: 'uplink', intervalMs: this.#s.pollIntervalMs, run: (signal) => this.poll(signal) };
  }

  async poll(signal?: AbortSignal): Promise<void> {
    let text: string | undefined;
    try {
      const res = await fetch(`${this.#s.vmagentUrl}/metrics`, { signal: signal ?? null });
      text = res.status === 200 ? await res.text() : undefined;
    } catch {
      text = undefined;
    }
    if (signal?.aborted) return;
    const snapshot = text === undefined ? undefined : parseVmagentMetrics(text);
    const now = this.#now();
    for (const state of this.#states) {
      const url = snapshot?.urls.get(state.position);
      this.#record(state, url);
      const seen = state.tracker.observe(now, url, snapshot?.startedAt ?? 0);
      this.collector.up.series({ endpoint: state.label }).value = seen.up ? 1 : 0;
      if (state.up !== seen.up) {
        if (seen.up) this.#s.log.info('uplink up', { endpoint: state.label });
        else
          this.#s.log.warn('uplink down', {
            endpoint: state.label,
            cause: seen.cause,
            status: this.#lastStatus(state),
          });
        state.up = seen.up;
      }
      if (seen.backfill) {
        // After a refused backfill, wait out the backoff: handed back, the window is asked again.
        if (now >= state.retryAtMs) this.#startBackfill(state, seen.backfill);
        else state.tracker.backfillEnded(false);
      }
      const until = state.tracker.deliveredUntilMs;
      if (until !== undefined) {
        this.collector.deliveredUntil.series({ endpoint: state.label }).value = until / 1000;
        this.#store.set(state.endpoint.url, until);
      }
    }
  }

  /** Stops running backfills and writes deliveredUntil as it stands. */
  async stop(): Promise<void> {
    this.#abort.abort();
    await Promise.allSettled([...this.#running]);
    this.#store.flush();
  }

  #lastStatus(state: EndpointState): number {
    return this.collector.lastErrorStatus.series({ endpoint: state.label }).value;
  }

  /** vmagent's counters into ours: errors split by status, the rest as they are. */
  #record(state: EndpointState, url: UrlSnapshot | undefined): void {
    if (url === undefined) return;
    const endpoint = state.label;
    const before = state.previous;
    state.previous = url;
    this.collector.pending.series({ endpoint }).value = url.pendingBytes;
    // vmagent's counters restart with it; ours only ever grow by what is new.
    if (before === undefined || url.errors < before.errors || url.failedRequests < before.failedRequests)
      return;
    for (const [status, count] of url.requests) {
      if (status === '2XX') continue;
      const delta = count - (before.requests.get(status) ?? 0);
      if (delta <= 0) continue;
      this.collector.errors.series({ endpoint, status }).value += delta;
      this.collector.lastErrorStatus.series({ endpoint }).value = Number(status) || 0;
    }
    // vmagent counts in errors_total only sends that got no answer; HTTP errors are by status.
    const connection = url.errors - before.errors;
    if (connection > 0) {
      this.collector.errors.series({ endpoint, status: 'connection' }).value += connection;
      this.collector.lastErrorStatus.series({ endpoint }).value = 0;
    }
    this.collector.refusedBlocks.series({ endpoint }).value += Math.max(
      0,
      url.packetsDropped - before.packetsDropped,
    );
    this.collector.queueDropped.series({ endpoint }).value += Math.max(
      0,
      url.queueBytesDropped - before.queueBytesDropped,
    );
  }

  #startBackfill(state: EndpointState, window: BackfillWindow): void {
    const { endpoint, label } = state;
    const log = this.#s.log.child({ endpoint: label });
    if (endpoint.importUrl === undefined) {
      // A plain remote-write endpoint: nothing to re-send with. Say what may be missing.
      log.warn('uplink window may be missing at the endpoint (no import_url: no backfill)', {
        from: new Date(window.fromMs).toISOString(),
        to: new Date(window.toMs).toISOString(),
      });
      state.tracker.backfillEnded(true);
      return;
    }
    const importUrl = endpoint.importUrl;
    const run = (async () => {
      let ok = false;
      try {
        const result = await backfill(
          {
            localUrl: this.#s.localUrl,
            central: { endpoint, importUrl, timeoutMs: IMPORT_TIMEOUT_MS },
            jobs: this.#s.jobs,
            deviceLabels: this.#s.deviceLabels,
            rateLimitBytes: this.#s.rateLimitBytes,
            signal: this.#abort.signal,
          },
          window.fromMs,
          window.toMs,
        );
        ok = true;
        state.failures = 0;
        this.collector.backfilledSamples.series({ endpoint: label }).value += result.samples;
        log.info('uplink backfill done', {
          from: new Date(window.fromMs).toISOString(),
          to: new Date(window.toMs).toISOString(),
          ...result,
        });
      } catch (err) {
        state.failures++;
        state.retryAtMs = this.#now() + Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** (state.failures - 1));
        if (err instanceof CentralError) {
          this.collector.errors.series({ endpoint: label, status: String(err.status) }).value += 1;
          this.collector.lastErrorStatus.series({ endpoint: label }).value = err.status;
        }
        if (!this.#abort.signal.aborted) log.warn('uplink backfill failed', { error: String(err) });
      } finally {
        this.collector.backfills.series({ endpoint: label, result: ok ? 'ok' : 'failed' }).value += 1;
        state.tracker.backfillEnded(ok);
        const until = state.tracker.deliveredUntilMs;
        if (ok && until !== undefined) this.#store.set(endpoint.url, until, true);
      }
    })();
    this.#running.add(run);
    void run.finally(() => this.#running.delete(run));
  }
}
