/**
 * Sample-exact comparison of a window between the box's VictoriaMetrics and a central: every
 * series' timestamps, via /api/v1/export on both, with the central's device labels taken off.
 */

export type SeriesSamples = Map<string, Set<number>>;

export async function exportWindow(
  vmUrl: string,
  selector: string,
  fromMs: number,
  toMs: number,
  dropLabels: readonly string[] = [],
): Promise<SeriesSamples> {
  await fetch(`${vmUrl}/internal/force_flush`);
  const params = new URLSearchParams({
    'match[]': selector,
    start: (fromMs / 1000).toFixed(3),
    end: (toMs / 1000).toFixed(3),
  });
  const res = await fetch(`${vmUrl}/api/v1/export?${params}`);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`export from ${vmUrl}: ${res.status} ${text}`);
  const out: SeriesSamples = new Map();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const row = JSON.parse(line) as { metric: Record<string, string>; timestamps: number[] };
    // The central's copy: the device labels off, and a scraped label they displaced back.
    for (const label of dropLabels) {
      delete row.metric[label];
      const exported = row.metric[`exported_${label}`];
      if (exported !== undefined) {
        row.metric[label] = exported;
        delete row.metric[`exported_${label}`];
      }
    }
    const key = JSON.stringify(Object.entries(row.metric).sort(([a], [b]) => (a < b ? -1 : 1)));
    const set = out.get(key) ?? new Set<number>();
    for (const ts of row.timestamps) set.add(ts);
    out.set(key, set);
  }
  return out;
}

export interface WindowDiff {
  readonly boxSamples: number;
  readonly centralSamples: number;
  /** On the box, not at the central. */
  readonly missing: number;
  /** At the central, not on the box (sent, then lost by the box's own store). */
  readonly extra: number;
  readonly series: number;
  /** A few missing samples, for the failure message. */
  readonly examples: string[];
}

export function diffWindows(box: SeriesSamples, central: SeriesSamples): WindowDiff {
  let boxSamples = 0;
  let centralSamples = 0;
  let missing = 0;
  let extra = 0;
  const examples: string[] = [];
  for (const [key, stamps] of box) {
    boxSamples += stamps.size;
    const other = central.get(key) ?? new Set<number>();
    for (const ts of stamps) {
      if (other.has(ts)) continue;
      missing++;
      if (examples.length < 5) examples.push(`${key} @ ${new Date(ts).toISOString()}`);
    }
  }
  for (const [key, stamps] of central) {
    centralSamples += stamps.size;
    const other = box.get(key) ?? new Set<number>();
    for (const ts of stamps) if (!other.has(ts)) extra++;
  }
  return { boxSamples, centralSamples, missing, extra, series: box.size, examples };
}
