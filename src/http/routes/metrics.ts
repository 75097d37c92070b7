/** GET /metrics: Prometheus text or OpenMetrics by Accept header, gzip when asked. */
import { gzipSync } from 'node:zlib';
import type { Logger } from '../../log/logger.js';
import type { Series } from '../../metrics/metric.js';
import { contentTypeFor, negotiateFormat, type Registry } from '../../metrics/registry.js';
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
      let body: string;
      try {
        body = registry.render(format);
      } catch (err) {
        scrapeErrors.value++;
        log.error('metrics render failed', { error: err instanceof Error ? err : String(err) });
        sendError(res, 500, 'render_failed', 'metrics render failed');
        return;
      }
      const contentType = contentTypeFor(format);
      if (acceptsGzip(req.headers['accept-encoding'])) {
        // Level 1: an 8 KB body compresses ~5x either way; higher levels cost CPU on every scrape.
        const gz = gzipSync(body, { level: 1 });
        res.writeHead(200, {
          'content-type': contentType,
          'content-encoding': 'gzip',
          'content-length': gz.length,
          vary: 'Accept-Encoding',
        });
        res.end(req.method === 'HEAD' ? undefined : gz);
        return;
      }
      res.writeHead(200, {
        'content-type': contentType,
        'content-length': Buffer.byteLength(body),
        vary: 'Accept-Encoding',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    },
  };
}

function acceptsGzip(header: string | undefined): boolean {
  return header !== undefined && /\bgzip\b(?!;\s*q=0(\.0*)?\b)/.test(header);
}
