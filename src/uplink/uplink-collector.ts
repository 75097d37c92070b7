/**
 * edgewatch_uplink_*: each remote_write endpoint's state, from vmagent's /metrics and the
 * delivery tracker. Labelled by `endpoint`, the URL without query (which may hold a token).
 */
import type { ExpositionFormat } from '../metrics/exposition.js';
import { CounterFamily, FamilyGroup, GaugeFamily } from '../metrics/metric.js';
import type { Collector } from '../metrics/registry.js';

type E = 'endpoint';

interface Spec {
  readonly name: string;
  readonly help: string;
}
const gauge = (spec: Spec) => new GaugeFamily<E>({ ...spec, labelNames: ['endpoint'] });
const counter = (spec: Spec) => new CounterFamily<E>({ ...spec, labelNames: ['endpoint'] });

export class UplinkCollector implements Collector {
  readonly up = gauge({
    name: 'edgewatch_uplink_up',
    help: '1 while the endpoint accepts what vmagent sends, 0 from a failed send, refusal or lost vmagent until a clean, drained poll.',
  });
  readonly pending = gauge({
    name: 'edgewatch_uplink_pending_bytes',
    help: "Bytes waiting in the endpoint's vmagent queue (on disk and in memory).",
  });
  readonly queueMax = gauge({
    name: 'edgewatch_uplink_queue_max_bytes',
    help: "The endpoint's max_disk_usage: beyond it vmagent drops the oldest queued data.",
  });
  readonly deliveredUntil = gauge({
    name: 'edgewatch_uplink_delivered_until_seconds',
    help: 'Every sample before this time (Unix seconds) is known to have reached the endpoint; time() minus it is the oldest unsent sample age.',
  });
  readonly errors = new CounterFamily<E | 'status'>({
    name: 'edgewatch_uplink_errors_total',
    help: 'Failed sends to the endpoint by HTTP status (401, 400, 500 …), or status="connection" for refused connections, timeouts and TLS failures.',
    labelNames: ['endpoint', 'status'],
  });
  readonly lastErrorStatus = gauge({
    name: 'edgewatch_uplink_last_error_status',
    help: 'HTTP status of the last failed send (0: a connection or TLS failure, or none yet; see edgewatch_uplink_errors_total).',
  });
  readonly refusedBlocks = counter({
    name: 'edgewatch_uplink_refused_blocks_total',
    help: 'Blocks the endpoint refused with 400 or 409, which vmagent drops for good; the backfill re-sends their window.',
  });
  readonly queueDropped = counter({
    name: 'edgewatch_uplink_queue_dropped_bytes_total',
    help: 'Oldest queued bytes vmagent dropped at max_disk_usage.',
  });
  readonly backfilledSamples = counter({
    name: 'edgewatch_uplink_backfilled_samples_total',
    help: 'Samples re-sent from local storage to close a window the endpoint may have missed.',
  });
  readonly backfills = new CounterFamily<E | 'result'>({
    name: 'edgewatch_uplink_backfills_total',
    help: 'Backfill runs by result (ok, failed).',
    labelNames: ['endpoint', 'result'],
  });
  readonly #families = new FamilyGroup([
    this.up,
    this.pending,
    this.queueMax,
    this.deliveredUntil,
    this.errors,
    this.lastErrorStatus,
    this.refusedBlocks,
    this.queueDropped,
    this.backfilledSamples,
    this.backfills,
  ]);

  collect(out: string, format: ExpositionFormat): string {
    return this.#families.collect(out, format);
  }
}

/** The endpoint label: scheme, host and path. */
export function endpointLabel(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname}`;
}
