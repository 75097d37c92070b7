/** Listening and graceful closing, kept apart from the handler (app.ts). */
import { createServer, type Server } from 'node:http';
import { type AddressInfo, isIP } from 'node:net';
import { EdgewatchError, ErrorCode } from '../errors.js';
import type { RequestHandler } from './app.js';

export interface ServerLimits {
  /** Largest request header block, bytes. */
  maxHeaderSize: number;
  /** Whole-request deadline, ms: a slow client cannot hold a socket forever. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open, ms. */
  keepAliveTimeoutMs: number;
  /** Most connections open at once; Node refuses more at accept. */
  maxConnections?: number;
}

export function createHttpServer(handler: RequestHandler, limits: ServerLimits): Server {
  const server = createServer(
    {
      maxHeaderSize: limits.maxHeaderSize,
      requestTimeout: limits.requestTimeoutMs,
      keepAlive: true,
      // Node checks request deadlines only this often (default 30 s), so a slow client trickling
      // headers held its connection, one of web.max-connections, for up to 30 s past the
      // deadline. Half the deadline, at most 5 s: one timer walking the connection list.
      connectionsCheckingInterval: Math.min(5000, Math.max(500, limits.requestTimeoutMs / 2)),
    },
    handler,
  );
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  if (limits.maxConnections !== undefined) server.maxConnections = limits.maxConnections;
  server.headersTimeout = Math.min(limits.requestTimeoutMs, 60_000);
  // Node's deadlines start with a request's first byte: a connection that never sends one was
  // held forever, so web.max-connections idle sockets locked every client out. Until a request
  // arrives, inactivity ends a connection at web.request-timeout; from then on Node's own
  // deadlines (headers, request, keep-alive) apply.
  server.on('connection', (socket) => {
    socket.setTimeout(limits.requestTimeoutMs, () => socket.destroy());
  });
  server.on('request', (req) => {
    req.socket.setTimeout(0);
  });
  return server;
}

/** `host:port`, `[v6]:port` or `:port` (all interfaces). */
export function parseListenAddress(address: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(address);
  const port = m ? Number(m[3]) : Number.NaN;
  if (!m || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new EdgewatchError(
      ErrorCode.CONFIG_INVALID,
      `invalid listen address "${address}": expected host:port, e.g. 127.0.0.1:8000`,
    );
  }
  const host = m[1] ?? (m[2] === '' ? '0.0.0.0' : (m[2] as string));
  const problem = hostProblem(host, m[1] !== undefined);
  if (problem !== undefined) {
    throw new EdgewatchError(ErrorCode.CONFIG_INVALID, `invalid listen address "${address}": ${problem}`);
  }
  return { host, port };
}

/**
 * Checked here, not left to listen(): `127.999.0.1` used to reach the kernel and end the process
 * with a stack trace (exit 1) instead of exit 2 naming the option.
 */
function hostProblem(host: string, bracketed: boolean): string | undefined {
  if (bracketed) return isIP(host) === 6 ? undefined : `"${host}" is not an IPv6 address`;
  if (/^[\d.]+$/.test(host)) return isIP(host) === 4 ? undefined : `"${host}" is not an IPv4 address`;
  if (isIP(host) === 6) return 'write an IPv6 address in brackets, e.g. [::1]:8000';
  if (!/^[A-Za-z0-9]([A-Za-z0-9-]{0,62}\.?)*$/.test(host) || host.length > 253) {
    return `"${host}" is not a host name or IP address`;
  }
  return undefined;
}

/** For an option's `check`: the problem with a listen address, or undefined when it is valid. */
export function listenAddressProblem(address: string): string | undefined {
  try {
    parseListenAddress(address);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

export function listen(server: Server, address: string): Promise<AddressInfo> {
  const { host, port } = parseListenAddress(address);
  return new Promise((resolve, reject) => {
    // EADDRINUSE, EADDRNOTAVAIL, EACCES: a configuration problem (exit 2), not a crash.
    const failed = (err: NodeJS.ErrnoException) =>
      reject(
        new EdgewatchError(
          ErrorCode.CONFIG_INVALID,
          `cannot listen on ${address}: ${err.code ?? err.message}`,
        ),
      );
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve(server.address() as AddressInfo);
    });
  });
}

/**
 * Stops accepting, lets in-flight requests finish, closes idle keep-alive sockets at once and
 * everything still open after `graceMs`.
 */
export function closeServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}
