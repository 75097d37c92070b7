/**
 * The service metrics the original sensor service's operators alert on, under their exact names,
 * and the HTTP request-duration histogram by route.
 */
import { type ExpositionFormat, FamilyHeader } from '../metrics/exposition.js';
import { CounterFamily, HistogramFamily, type HistogramSeries, type Series } from '../metrics/metric.js';
import type { Collector } from '../metrics/registry.js';

const queueDepthFamily = new FamilyHeader({
  name: 'sensor_queue_depth',
  help: 'Sensor reads queued or in flight right now.',
  type: 'gauge',
});

/**
 * Buckets in seconds, one per decade: a cached scrape takes ~0.1 ms, a proxied range query tens
 * of ms to seconds. Few buckets, because each route adds a line per bucket to every scrape.
 */
const durationBuckets = [0.001, 0.01, 0.1, 1];

export class ServiceCollector implements Collector {
  readonly #scrapeErrors = new CounterFamily({
    name: 'sensor_scrape_errors_total',
    help: 'Renders of /metrics that failed.',
  });
  readonly scrapeErrors: Series = this.#scrapeErrors.series();
  readonly #durations = new HistogramFamily<'route'>({
    name: 'edgewatch_http_request_duration_seconds',
    help: 'HTTP request duration by route.',
    labelNames: ['route'],
    buckets: durationBuckets,
  });
  readonly #byRoute = new Map<string, HistogramSeries>();

  constructor(private readonly queueDepth: () => number) {}

  /** The histogram series of a route; created on first use so unused routes print nothing. */
  requestDuration(route: string): HistogramSeries {
    let series = this.#byRoute.get(route);
    if (!series) {
      series = this.#durations.series({ route });
      this.#byRoute.set(route, series);
    }
    return series;
  }

  collect(out: string, format: ExpositionFormat): string {
    out = this.#scrapeErrors.collect(out, format);
    out += `${queueDepthFamily.text(format)}sensor_queue_depth ${this.queueDepth()}\n`;
    return this.#durations.collect(out, format);
  }
}
