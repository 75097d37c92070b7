/**
 * The Host header check against DNS rebinding: a page on evil.example that re-points its name to
 * 127.0.0.1 makes the engineer's browser send requests to edgewatch with `Host: evil.example`,
 * and the same-origin policy then lets that page read the answers (/sensor, /api/stack, the
 * query proxy). Only names that can really mean this server are accepted.
 */
import { isIP } from 'node:net';
import { isLoopbackHost } from '../net/loopback.js';

export interface HostPolicy {
  /** True when `host` (the Host header, port included) may address this server. */
  allows(host: string | undefined): boolean;
}

/**
 * A loopback listener answers loopback names only (`localhost`, `127.x.x.x`, `[::1]`), plus the
 * configured names. A listener beyond loopback also answers any IP literal (a field engineer types
 * the box's address) and the configured names; it requires credentials, which a rebinding page
 * does not have.
 */
export function hostPolicy(listenHost: string, allowedNames: readonly string[]): HostPolicy {
  const names = new Set(allowedNames.map((n) => n.toLowerCase()));
  const loopbackOnly = isLoopbackHost(listenHost);
  return {
    allows(header) {
      // HTTP/1.0 clients may send no Host at all; nothing can be rebound through them.
      if (header === undefined) return true;
      const host = hostName(header);
      if (host === undefined) return false;
      if (host === 'localhost' || isLoopbackHost(host) || names.has(host)) return true;
      return !loopbackOnly && isIP(host) !== 0;
    },
  };
}

/** The name in a Host header without its port, lower-cased; undefined when malformed. */
function hostName(header: string): string | undefined {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+))(?::\d{1,5})?$/.exec(header.trim());
  if (!m) return undefined;
  return (m[1] ?? (m[2] as string)).toLowerCase().replace(/\.$/, '');
}
