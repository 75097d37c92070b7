/**
 * Validation of an Alertmanager API v2 `POST /api/v2/alerts` body, the format vmalert and
 * Prometheus send: a JSON array of `{labels, annotations, startsAt, endsAt, generatorURL}`.
 * Every problem is reported with the path of the offending field, e.g.
 * `alerts[2].labels.alertname missing`, so a hand-written curl test is easy to fix.
 */
import { parseRfc3339 } from '../config/rfc3339.js';
import {
  type EntryKind,
  entriesLength,
  entryProblem,
  MAX_ALERT_LENGTH,
  MAX_ENTRIES,
} from './alert-limits.js';
import type { AlertLabels } from './fingerprint.js';

export interface PostedAlert {
  labels: AlertLabels;
  annotations: AlertLabels;
  /** Epoch ms; undefined when not sent. */
  startsAt?: number;
  /** Epoch ms; undefined when not sent. In the past (or now) means resolved. */
  endsAt?: number;
}

export class PayloadError extends Error {
  /** 413 when an alert is over a size limit, else 400. */
  constructor(
    message: string,
    readonly tooLarge = false,
  ) {
    super(message);
  }
}

export function parseAlertsPayload(body: unknown): PostedAlert[] {
  if (!Array.isArray(body)) throw new PayloadError('body must be a JSON array of alerts');
  return body.map((item, i) => parseAlert(item, `alerts[${i}]`));
}

function parseAlert(item: unknown, where: string): PostedAlert {
  if (!isRecord(item)) throw new PayloadError(`${where} must be an object`);
  if (item.labels === undefined) throw new PayloadError(`${where}.labels missing`);
  const labels = stringMap(item.labels, `${where}.labels`, 'labels');
  if (labels.alertname === undefined) throw new PayloadError(`${where}.labels.alertname missing`);
  if (labels.alertname === '') throw new PayloadError(`${where}.labels.alertname is empty`);
  const annotations =
    item.annotations === undefined ? {} : stringMap(item.annotations, `${where}.annotations`, 'annotations');
  const length = entriesLength(labels) + entriesLength(annotations);
  if (length > MAX_ALERT_LENGTH) {
    throw new PayloadError(
      `${where} labels and annotations are ${length} characters, more than ${MAX_ALERT_LENGTH}`,
      true,
    );
  }
  return {
    labels,
    annotations,
    startsAt: optionalTime(item.startsAt, `${where}.startsAt`),
    endsAt: optionalTime(item.endsAt, `${where}.endsAt`),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringMap(value: unknown, where: string, kind: EntryKind): Record<string, string> {
  if (!isRecord(value)) throw new PayloadError(`${where} must be an object of strings`);
  const entries = Object.entries(value);
  if (entries.length > MAX_ENTRIES)
    throw new PayloadError(`${where} has more than ${MAX_ENTRIES} entries`, true);
  for (const [key, v] of entries) {
    // JSON.stringify: a hostile name may itself hold control characters or be huge.
    const field = `${where}.${key.length > 64 ? `${key.slice(0, 64)}…` : key}`;
    if (typeof v !== 'string')
      throw new PayloadError(`${JSON.stringify(field).slice(1, -1)} must be a string`);
    const problem = entryProblem(kind, key, v);
    if (problem !== undefined) {
      throw new PayloadError(`${JSON.stringify(field).slice(1, -1)} ${problem}`, problem.startsWith('is '));
    }
  }
  // A copy made with defineProperty semantics: a `__proto__` key could never become a prototype.
  return Object.fromEntries(entries) as Record<string, string>;
}

function optionalTime(value: unknown, where: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const ms = typeof value === 'string' ? parseRfc3339(value) : undefined;
  if (ms === undefined)
    throw new PayloadError(`${where} must be an RFC 3339 time, got ${JSON.stringify(value)}`);
  // Go clients serialise an unset time.Time as 0001-01-01T00:00:00Z: that means "not set",
  // not "ended two thousand years ago".
  return ms < 0 ? undefined : ms;
}
