/**
 * Serves the built dashboard (dist/dashboard/) from memory. The files are read and gzipped once
 * at start (~70 KB in all), so a page load costs no disk reads and no compression CPU on the box.
 *
 * Files under assets/ carry a content hash in their names and are cached for a year; index.html
 * is `no-cache` (always revalidated by ETag), so a new build reaches browsers on the next load.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { acceptsGzip } from './accept-encoding.js';
import { sendError } from './respond.js';
import type { Handler, IncomingMessage, Route, ServerResponse } from './router.js';

interface Variant {
  body: Buffer;
  etag: string;
}

interface Asset {
  identity: Variant;
  /** Absent when gzip does not make the file smaller (images, tiny files). */
  gzip?: Variant;
  headers: Record<string, string>;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/**
 * The page loads only its own script and stylesheet and talks only to this server. uPlot sets
 * inline styles through the CSSOM, which `style-src 'self'` permits.
 */
const contentSecurityPolicy =
  "default-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const indexHeaders = {
  'cache-control': 'no-cache',
  'content-security-policy': contentSecurityPolicy,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};
const hashedHeaders = {
  'cache-control': 'public, max-age=31536000, immutable',
  'x-content-type-options': 'nosniff',
};

const ASSETS_PREFIX = '/assets/';

/** Routes for `/` and `/assets/…`; when the dashboard was not built, both answer 503. */
export async function dashboardRoutes(dir: string): Promise<Route[]> {
  let indexHtml: Buffer;
  try {
    indexHtml = await readFile(join(dir, 'index.html'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return notBuiltRoutes(dir);
  }
  const index = makeAsset(indexHtml, '.html', indexHeaders);
  const assets = new Map<string, Asset>();
  const assetDir = join(dir, 'assets');
  const entries = await readdir(assetDir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  for (const entry of entries) {
    // Only what the build wrote: no symlinks out, no dotfiles (an editor's swap file, .git).
    if (!entry.isFile() || entry.name.startsWith('.')) continue;
    const body = await readFile(join(assetDir, entry.name));
    assets.set(`${ASSETS_PREFIX}${entry.name}`, makeAsset(body, extname(entry.name), hashedHeaders));
  }

  return [
    { name: 'dashboard', method: 'GET', path: '/', handler: (req, res) => serve(req, res, index) },
    {
      name: 'dashboard_assets',
      method: 'GET',
      path: ASSETS_PREFIX,
      prefix: true,
      handler: (req, res, url) => {
        const asset = assets.get(url.pathname);
        if (asset) serve(req, res, asset);
        else sendError(res, 404, 'not_found', 'no such dashboard asset');
      },
    },
  ];
}

function notBuiltRoutes(dir: string): Route[] {
  const handler: Handler = (_req, res) =>
    sendError(
      res,
      503,
      'dashboard_not_built',
      `the dashboard is not built (no ${dir}/index.html): run npm run build`,
    );
  return [
    { name: 'dashboard', method: 'GET', path: '/', handler },
    { name: 'dashboard_assets', method: 'GET', path: ASSETS_PREFIX, prefix: true, handler },
  ];
}

function makeAsset(body: Buffer, ext: string, headers: Record<string, string>): Asset {
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 22);
  const asset: Asset = {
    identity: { body, etag: `"${hash}"` },
    headers: { 'content-type': contentTypes[ext] ?? 'application/octet-stream', ...headers },
  };
  const gzipped = gzipSync(body, { level: 9 });
  // Each encoding is its own representation, so it gets its own ETag.
  if (gzipped.length < body.length) asset.gzip = { body: gzipped, etag: `"${hash}-gz"` };
  return asset;
}

function serve(req: IncomingMessage, res: ServerResponse, asset: Asset): void {
  const variant = asset.gzip && acceptsGzip(req.headers['accept-encoding']) ? asset.gzip : asset.identity;
  const headers: Record<string, string> = { ...asset.headers, etag: variant.etag };
  if (asset.gzip) headers.vary = 'Accept-Encoding';
  const cached = cachedEtag(req.headers['if-none-match'], asset);
  if (cached) {
    // The client's copy is current: confirm the representation it holds.
    res.writeHead(304, { ...headers, etag: cached === '*' ? variant.etag : cached });
    res.end();
    return;
  }
  if (variant === asset.gzip) headers['content-encoding'] = 'gzip';
  headers['content-length'] = String(variant.body.length);
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : variant.body);
}

/** The first ETag in If-None-Match (possibly weak, W/"…", or `*`) that is one of this asset's. */
function cachedEtag(header: string | undefined, asset: Asset): string | undefined {
  if (!header) return undefined;
  const ours = [asset.identity.etag, asset.gzip?.etag];
  for (const tag of header.split(',')) {
    const t = tag.trim().replace(/^W\//, '');
    if (t === '*' || ours.includes(t)) return t;
  }
  return undefined;
}
