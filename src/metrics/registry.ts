/**
 * The registry lists collectors; rendering asks each to append its families to one string.
 * Collectors never do I/O here: sampling happens on the sampler's schedule, scrapes only format.
 */
import { type ExpositionFormat, OPENMETRICS_CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE } from './exposition.js';

export interface Collector {
  /** Appends this collector's families to `out` and returns the result. Must not do I/O. */
  collect(out: string, format: ExpositionFormat): string;
  /**
   * The same text, already encoded, for collectors that cache their rendering: the scrape then
   * sends the cached bytes as they are instead of copying them into a new string.
   */
  encoded?(format: ExpositionFormat): Buffer;
}

export class Registry {
  readonly #collectors: Collector[] = [];

  register<C extends Collector>(collector: C): C {
    this.#collectors.push(collector);
    return collector;
  }

  /** The whole exposition as one string (tests, tools); scrapes write renderChunks() instead. */
  render(format: ExpositionFormat = 'prometheus'): string {
    return this.renderChunks(format)
      .map((chunk) => chunk.toString())
      .join('');
  }

  /** The exposition as chunks to write in order: cached buffers as they are, the rest as strings. */
  renderChunks(format: ExpositionFormat = 'prometheus'): Array<string | Buffer> {
    const chunks: Array<string | Buffer> = [];
    let out = '';
    for (const collector of this.#collectors) {
      if (collector.encoded) {
        if (out !== '') chunks.push(out);
        chunks.push(collector.encoded(format));
        out = '';
      } else {
        out = collector.collect(out, format);
      }
    }
    if (format === 'openmetrics') out += '# EOF\n';
    if (out !== '') chunks.push(out);
    return chunks;
  }
}

export function contentTypeFor(format: ExpositionFormat): string {
  return format === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : PROMETHEUS_CONTENT_TYPE;
}

/**
 * Picks the format from a scraper's Accept header: OpenMetrics only when asked for by name,
 * as Prometheus does (`application/openmetrics-text;version=1.0.0,...;q=0.5`).
 */
export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  return accept?.includes('application/openmetrics-text') ? 'openmetrics' : 'prometheus';
}
