/**
 * Health probes: an HTTP GET that must answer 200, and a check that nothing listens on a port yet.
 * node:http without an agent rather than fetch: no connection pool kept, and undici is not loaded
 * into the long-running process for a probe every few seconds.
 */
import { get } from 'node:http';
import { connect } from 'node:net';

/** True when `url` answers 200 within `timeoutMs`; false on any error, other status or timeout. */
export function probeHealth(url: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/** True when something accepts TCP connections at host:port. */
export function isListening(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    const done = (listening: boolean) => {
      socket.destroy();
      resolve(listening);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}
