/**
 * Re-sends a window from the box's own VictoriaMetrics to a central: /api/v1/export (JSON lines)
 * → the central's /api/v1/import, gzipped, labelled as vmagent labels what it sends (withDevice),
 * one slice of time at a time and paced to a byte rate. A central with -dedup.minScrapeInterval keeps one
 * copy of what it had already received, so re-sending is harmless; without the flag, what was
 * re-sent is stored twice.
 *
 * Time (now, sleep) is injected: the pacing is tested without waiting.
 */
import { gzipSync } from 'node:zlib';
import { type CentralClient, postToCentral } from './central-client.js';
import type { DeviceLabels } from './remote-write-config.js';

export interface BackfillSettings {
  /** The local VictoriaMetrics, e.g. http://127.0.0.1:8428. */
  readonly localUrl: string;
  readonly central: CentralClient;
  /** The series vmagent sends: the stack's scrape jobs. */
  readonly jobs: readonly string[];
  readonly deviceLabels: DeviceLabels;
  /** Bytes per second on the wire; 0 unlimited. */
  readonly rateLimitBytes: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly signal?: AbortSignal;
}

export interface BackfillResult {
  readonly samples: number;
  /** Gzipped bytes posted. */
  readonly bytes: number;
  readonly slices: number;
}

/**
 * One minute per request: ~300 series × 60 samples × ~20 B of JSON ≈ 360 KB in memory at 1 s
 * scrapes, well inside edgewatch's allowance; a day-long gap is 1,440 requests.
 */
export const SLICE_MS = 60_000;

export function backfillSelector(jobs: readonly string[]): string {
  // vmalert's ALERTS series live in local storage too, but vmagent never sends them.
  return `{job=~${JSON.stringify(jobs.join('|'))},__name__!~"ALERTS|ALERTS_FOR_STATE"}`;
}

export async function backfill(s: BackfillSettings, fromMs: number, toMs: number): Promise<BackfillResult> {
  const now = s.now ?? Date.now;
  const sleep = s.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = now();
  let samples = 0;
  let bytes = 0;
  let slices = 0;
  for (let start = fromMs; start <= toMs; start += SLICE_MS) {
    if (s.signal?.aborted) throw new Error('backfill aborted');
    // Export bounds are inclusive: slices meet at start + SLICE_MS - 1 ms.
    const end = Math.min(toMs, start + SLICE_MS - 1);
    const lines = await exportSlice(s, start, end);
    slices++;
    if (lines.count === 0) continue;
    const body = gzipSync(lines.text);
    await postToCentral(s.central, body, s.signal);
    samples += lines.count;
    bytes += body.length;
    if (s.rateLimitBytes > 0) {
      // Cumulative pacing: after n bytes, at least n / rate seconds have passed.
      const due = started + (bytes / s.rateLimitBytes) * 1000;
      const wait = due - now();
      if (wait > 0) await sleep(wait);
    }
  }
  return { samples, bytes, slices };
}

async function exportSlice(
  s: BackfillSettings,
  fromMs: number,
  toMs: number,
): Promise<{ text: string; count: number }> {
  const params = new URLSearchParams({
    'match[]': backfillSelector(s.jobs),
    start: (fromMs / 1000).toFixed(3),
    end: (toMs / 1000).toFixed(3),
  });
  const res = await fetch(`${s.localUrl}/api/v1/export?${params}`, { signal: s.signal });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`local export answered ${res.status}: ${text.slice(0, 200)}`);
  let count = 0;
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const row = JSON.parse(line) as { metric: Record<string, string>; timestamps: unknown[] };
    count += row.timestamps.length;
    withDevice(row.metric, s.deviceLabels);
    out.push(JSON.stringify(row));
  }
  return { text: out.join('\n'), count };
}

/**
 * The device labels as vmagent's relabelling adds them (src/stack/vmagent.ts): a scraped label
 * of the same name moves to exported_<name>. Not VictoriaMetrics' extra_label, which would
 * overwrite it, so a re-sent sample would land in another series than the one vmagent sent.
 */
export function withDevice(metric: Record<string, string>, labels: DeviceLabels): void {
  for (const [name, value] of Object.entries(labels)) {
    const scraped = metric[name];
    if (scraped !== undefined && scraped !== '') metric[`exported_${name}`] = scraped;
    metric[name] = value;
  }
}
