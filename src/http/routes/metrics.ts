/** GET /metrics: Prometheus text or OpenMetrics by Accept header, gzip when asked. */
import { gzipSync } from 'node:zlib';
import type { Logger } from '../../log/logger.js';
import type { Series } from '../../metrics/metric.js';
import { contentTypeFor, negotiateFormat, type Registry } from '../../metrics/registry.js';
import { acceptsGzip } from '../accept-encoding.js';
import { sendError } from '../respond.js';
import type { Route } from '../router.js';

export function metricsRoute(registry: Registry, scrapeErrors: Series, log: Logger, isPublic = false): Route {
  return {
    name: 'metrics',
    method: 'GET',
    path: '/metrics',
    public: isPublic,
    handler(req, res) {
      const format = negotiateFormat(req.headers.accept);
      let chunks: Array<string | Buffer>;
      try {
        chunks = registry.renderChunks(format);
      } catch (err) {
        scrapeErrors.value++;
        log.error('metrics render failed', { error: err instanceof Error ? err : String(err) });
        sendError(res, 500, 'render_failed', 'metrics render failed');
        return;
      }
      const contentType = contentTypeFor(format);
      if (acceptsGzip(req.headers['accept-encoding'])) {
        // Level 1: an 8 KB body compresses ~5x either way; higher levels cost CPU on every scrape.
        const gz = gzipSync(Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c))), {
          level: 1,
        });
        res.writeHead(200, {
          'content-type': contentType,
          'content-encoding': 'gzip',
          'content-length': gz.length,
          vary: 'Accept-Encoding',
        });
        res.end(req.method === 'HEAD' ? undefined : gz);
        return;
      }
      let length = 0;
      for (const chunk of chunks) length += Buffer.byteLength(chunk);
      res.writeHead(200, { 'content-type': contentType, 'content-length': length, vary: 'Accept-Encoding' });
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      // Corked, the chunks leave in one writev: no copy of the cached bytes into a new body.
      res.cork();
      for (const chunk of chunks) res.write(chunk);
      res.end();
    },
  };
}
