/** Listening and graceful closing, kept apart from the handler (app.ts). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EdgewatchError, ErrorCode } from '../errors.js';
import type { RequestHandler } from './app.js';

export interface ServerLimits {
  /** Largest request header block, bytes. */
  maxHeaderSize: number;
  /** Whole-request deadline, ms: a slow client cannot hold a socket forever. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open, ms. */
  keepAliveTimeoutMs: number;
}

export function createHttpServer(handler: RequestHandler, limits: ServerLimits): Server {
  const server = createServer(
    { maxHeaderSize: limits.maxHeaderSize, requestTimeout: limits.requestTimeoutMs, keepAlive: true },
    handler,
  );
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.headersTimeout = Math.min(limits.requestTimeoutMs, 60_000);
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
  return { host: m[1] ?? (m[2] === '' ? '0.0.0.0' : (m[2] as string)), port };
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function listen(server: Server, address: string): Promise<AddressInfo> {
  const { host, port } = parseListenAddress(address);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
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
