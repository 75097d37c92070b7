/**
 * Validation of an Alertmanager API v2 `POST /api/v2/alerts` body, the format vmalert and
 * Prometheus send: a JSON array of `{labels, annotations, startsAt, endsAt, generatorURL}`.
 * Every problem is reported with the path of the offending field, e.g.
 * `alerts[2].labels.alertname missing`, so a hand-written curl test is easy to fix.
 */
import { parseRfc3339 } from '../config/rfc3339.js';
import type { AlertLabels } from './fingerprint.js';

export interface PostedAlert {
  labels: AlertLabels;
  annotations: AlertLabels;
  /** Epoch ms; undefined when not sent. */
  startsAt?: number;
  /** Epoch ms; undefined when not sent. In the past (or now) means resolved. */
  endsAt?: number;
}

export class PayloadError extends Error {}

export function parseAlertsPayload(body: unknown): PostedAlert[] {
  if (!Array.isArray(body)) throw new PayloadError('body must be a JSON array of alerts');
  return body.map((item, i) => parseAlert(item, `alerts[${i}]`));
}

function parseAlert(item: unknown, where: string): PostedAlert {
  if (!isRecord(item)) throw new PayloadError(`${where} must be an object`);
  if (item.labels === undefined) throw new PayloadError(`${where}.labels missing`);
  const labels = stringMap(item.labels, `${where}.labels`);
  if (labels.alertname === undefined) throw new PayloadError(`${where}.labels.alertname missing`);
  if (labels.alertname === '') throw new PayloadError(`${where}.labels.alertname is empty`);
  const annotations =
    item.annotations === undefined ? {} : stringMap(item.annotations, `${where}.annotations`);
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

function stringMap(value: unknown, where: string): Record<string, string> {
  if (!isRecord(value)) throw new PayloadError(`${where} must be an object of strings`);
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new PayloadError(`${where}.${key} must be a string`);
  }
  return value as Record<string, string>;
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
