/** Content negotiation for gzip, shared by the static assets and the query proxy. */

/** True when the client lists gzip (or `*`) without refusing it with `q=0`. */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  for (const part of header.split(',')) {
    const [coding, ...attrs] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== '*') continue;
    const q = attrs.map((a) => a.trim()).find((a) => a.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}
