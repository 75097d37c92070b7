/**
 * Reads vmagent's own /metrics (text format) into one snapshot per remote-write URL. vmagent
 * 1.79 names a URL by its position, `url="2:secret-url"` (1-based, the secret hides
 * credentials), and its disk queue by a path whose directory starts with the same number.
 */

export interface UrlSnapshot {
  /** Sends that got no answer (refused, timed out, TLS), each retry counted; not HTTP errors. */
  readonly errors: number;
  /** Sends answered with anything but 2xx (requests_total by status, summed). */
  readonly failedRequests: number;
  /** Blocks the remote refused with 400 (or 409): vmagent drops them for good. */
  readonly packetsDropped: number;
  /** Bytes waiting in the on-disk queue, in-memory blocks included. */
  readonly pendingBytes: number;
  /** Oldest data dropped at max_disk_usage (vm_persistentqueue_bytes_dropped_total). */
  readonly queueBytesDropped: number;
  readonly bytesSent: number;
  /** Sends the remote accepted (status_code="2XX"). */
  readonly ok: number;
  /** Answers by HTTP status ("2XX" for success in 1.79, the number for the others). */
  readonly requests: ReadonlyMap<string, number>;
}

export interface VmagentSnapshot {
  /** vm_app_start_timestamp, seconds: a new value means vmagent restarted. */
  readonly startedAt: number;
  /** By 1-based URL position. */
  readonly urls: ReadonlyMap<number, UrlSnapshot>;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

function labelsOf(text: string | undefined): Map<string, string> {
  const labels = new Map<string, string>();
  if (text === undefined) return labels;
  for (const m of text.matchAll(LABEL)) labels.set(m[1] as string, m[2] as string);
  return labels;
}

/** "2:secret-url" → 2; the queue path ".../persistent-queue/2_98D…" → 2. */
function positionOf(labels: Map<string, string>): number | undefined {
  const url = labels.get('url');
  const fromUrl = url === undefined ? undefined : /^(\d+):/.exec(url)?.[1];
  const fromPath = labels.get('path')?.match(/\/(\d+)_[0-9A-F]+$/)?.[1];
  const n = Number(fromUrl ?? fromPath);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** A URL vmagent has reported nothing for yet: every counter at 0. */
export function emptyUrlSnapshot(): UrlSnapshot {
  return {
    errors: 0,
    failedRequests: 0,
    packetsDropped: 0,
    pendingBytes: 0,
    queueBytesDropped: 0,
    bytesSent: 0,
    ok: 0,
    requests: new Map(),
  };
}

export function parseVmagentMetrics(text: string): VmagentSnapshot {
  let startedAt = 0;
  const urls = new Map<
    number,
    { -readonly [K in keyof UrlSnapshot]: UrlSnapshot[K] extends number ? number : Map<string, number> }
  >();
  const at = (n: number) => {
    let u = urls.get(n);
    if (!u) {
      u = { ...emptyUrlSnapshot(), requests: new Map() };
      urls.set(n, u);
    }
    return u;
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const [, name, labelText, raw] = m;
    const value = Number(raw);
    if (!Number.isFinite(value)) continue;
    if (name === 'vm_app_start_timestamp') {
      startedAt = value;
      continue;
    }
    const labels = labelsOf(labelText);
    const n = positionOf(labels);
    if (n === undefined) continue;
    switch (name) {
      case 'vmagent_remotewrite_errors_total':
        at(n).errors = value;
        break;
      case 'vmagent_remotewrite_packets_dropped_total':
        at(n).packetsDropped = value;
        break;
      case 'vmagent_remotewrite_pending_data_bytes':
        at(n).pendingBytes = value;
        break;
      case 'vm_persistentqueue_bytes_dropped_total':
        at(n).queueBytesDropped = value;
        break;
      case 'vmagent_remotewrite_bytes_sent_total':
        at(n).bytesSent = value;
        break;
      case 'vmagent_remotewrite_requests_total':
        at(n).requests.set(labels.get('status_code') ?? '', value);
        if (labels.get('status_code') === '2XX') at(n).ok = value;
        else at(n).failedRequests += value;
        break;
    }
  }
  return { startedAt, urls };
}
