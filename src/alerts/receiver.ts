/**
 * POST /api/v2/alerts: the Alertmanager API v2 endpoint vmalert's `-notifier.url` points at.
 * vmalert treats any status but 200 as a failed delivery (and logs the body), so success is
 * 200 with `{}`, and every refusal is a JSON error saying what was wrong.
 */

import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ApiErrorCode } from '../api/types.js';
import type { AccessCheck } from '../http/app.js';
import { sendError, sendJson } from '../http/respond.js';
import type { Route } from '../http/router.js';
import type { AlertSender } from './alert-store.js';
import { PayloadError, type PostedAlert, parseAlertsPayload } from './payload.js';

/**
 * After refusing an oversized body, up to this much more is read and discarded before the
 * connection is cut: a client that is still sending when the 413 arrives would otherwise get
 * a TCP reset that can swallow the answer. Go's net/http does the same (256 KiB).
 */
const DISCARD_AFTER_REFUSAL_BYTES = 256 * 1024;

export interface ReceiverOptions {
  maxPayloadBytes: number;
  /** Called with the validated alerts of each accepted notification. */
  onAlerts: (alerts: PostedAlert[], sender: AlertSender) => void;
  senders?: ReceiverSenders;
}

export interface ReceiverSenders {
  /** The bearer token edgewatch generated for vmalert at start. */
  vmalertToken?: string;
  /** edgewatch's own access control (web.auth.*), which every other sender must pass. */
  access?: AccessCheck;
}

export function receiverRoute({ maxPayloadBytes, onAlerts, senders = {} }: ReceiverOptions): Route {
  const vmalertDigest =
    senders.vmalertToken === undefined ? undefined : digest(`Bearer ${senders.vmalertToken}`);
  const senderOf = async (req: IncomingMessage): Promise<AlertSender | undefined> => {
    const header = req.headers.authorization;
    if (vmalertDigest && header !== undefined && timingSafeEqual(digest(header), vmalertDigest))
      return 'vmalert';
    return senders.access === undefined || (await senders.access.check(req)) ? 'other' : undefined;
  };
  return {
    name: 'alerts_receive',
    method: 'POST',
    path: '/api/v2/alerts',
    // Checked here rather than by the app: vmalert's token is not one of web.auth.*'s.
    public: true,
    handler: async (req, res) => {
      const sender = await senderOf(req);
      if (sender === undefined) {
        sendError(res, 401, 'unauthorized', 'credentials required', senders.access?.challenge());
        discard(req);
        return;
      }
      const refusal = requestProblem(req);
      if (refusal) {
        sendError(res, refusal.status, refusal.error, refusal.message);
        discard(req);
        return;
      }
      const body = await readBody(req, maxPayloadBytes);
      if (body === undefined) {
        sendError(res, 413, 'payload_too_large', `alert payload is larger than ${maxPayloadBytes} bytes`);
        discard(req);
        return;
      }
      let alerts: PostedAlert[];
      try {
        alerts = parseAlertsPayload(JSON.parse(body.toString('utf8')));
      } catch (err) {
        if (err instanceof PayloadError && err.tooLarge) {
          sendError(res, 413, 'alert_too_large', err.message);
          return;
        }
        const reason =
          err instanceof PayloadError ? err.message : `body is not valid JSON: ${(err as Error).message}`;
        sendError(res, 400, 'bad_payload', reason);
        return;
      }
      onAlerts(alerts, sender);
      sendJson(res, 200, {});
    },
  };
}

interface Refusal {
  status: 403 | 415;
  error: ApiErrorCode;
  message: string;
}

/**
 * A web page on the same machine can POST here (a text/plain form, a no-cors fetch) and run the
 * action command. Browsers cannot send application/json cross-site without a preflight we never
 * answer, and they say where a request comes from: vmalert sends neither Origin nor
 * Sec-Fetch-Site, so refusing both costs it nothing.
 */
function requestProblem(req: IncomingMessage): Refusal | undefined {
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') {
    return {
      status: 403,
      error: 'cross_site',
      message: `cross-site requests are refused (Sec-Fetch-Site: ${site})`,
    };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !sameOrigin(origin, req.headers.host)) {
    return {
      status: 403,
      error: 'cross_site',
      message: 'cross-origin requests are refused (Origin is not this server)',
    };
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    return {
      status: 415,
      error: 'unsupported_media_type',
      message: `Content-Type must be application/json, got ${JSON.stringify(req.headers['content-type'] ?? '')}`,
    };
  }
  return undefined;
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' && url.host === new URL(`http://${host}`).host;
  } catch {
    return false; // "null" (a sandboxed page or file://) or garbage.
  }
}

/**
 * The request body, or undefined as soon as it is known to exceed `limit` (from
 * Content-Length before reading anything, or while streaming): nothing beyond the limit is
 * ever buffered.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    // A client that goes away mid-body must not leave this promise pending forever.
    const onClose = () => onError(new Error('client closed the connection before the body ended'));
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Reads and drops the rest of a refused body, up to a bound, then cuts the connection. */
function discard(req: IncomingMessage): void {
  let discarded = 0;
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > DISCARD_AFTER_REFUSAL_BYTES) req.socket.destroy();
  });
  req.resume();
}
