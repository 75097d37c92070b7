/**
 * Gaps drawn as gaps. A range query returns no points where there were no samples (storage down,
 * edgewatch frozen); uPlot joins the points on either side with a straight line, so a 3-minute
 * outage looked like smooth data. A null point inserted in such a gap breaks the line.
 *
 * The expected spacing is the step (VictoriaMetrics answers one point per step while samples
 * come at least that often) or, when samples are sparser than the step, the median spacing
 * seen; a gap is more than GAP_FACTOR times that: about three scrape intervals.
 */
export const GAP_FACTOR = 3;

function median(sorted: readonly number[]): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** The spacing beyond which two neighbouring x values are a gap. */
export function gapThreshold(xs: readonly number[], step: number): number {
  const diffs: number[] = [];
  for (let i = 1; i < xs.length; i++) diffs.push((xs[i] as number) - (xs[i - 1] as number));
  const typical = median(diffs.sort((a, b) => a - b)) ?? step;
  return GAP_FACTOR * Math.max(step, typical);
}

/**
 * `xs` and every column with one null point inserted just after the last sample before each gap,
 * so uPlot (spanGaps false, its default) leaves the gap empty.
 */
export function withGaps(
  xs: readonly number[],
  columns: ReadonlyArray<ReadonlyArray<number | null>>,
  step: number,
): { xs: number[]; columns: Array<Array<number | null>> } {
  const threshold = gapThreshold(xs, step);
  const outXs: number[] = [];
  const out: Array<Array<number | null>> = columns.map(() => []);
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number;
    const prev = xs[i - 1];
    if (prev !== undefined && x - prev > threshold) {
      outXs.push(prev + step);
      for (const col of out) col.push(null);
    }
    outXs.push(x);
    columns.forEach((col, c) => {
      out[c]?.push(col[i] ?? null);
    });
  }
  return { xs: outXs, columns: out };
}

/**
 * Gaps the plotted data shows: runs of x where every series is null, between two drawn points
 * (one sensor failing alone is that sensor's gap, not the data's). The figure carries it
 * (`data-gaps`) so a test reads from the page what uPlot was given, not what the module returns.
 */
export function drawnGaps(columns: ReadonlyArray<ArrayLike<number | null | undefined>>): number {
  const length = columns[0]?.length ?? 0;
  let gaps = 0;
  let seenValue = false;
  let inNulls = false;
  for (let i = 0; i < length; i++) {
    const drawn = columns.some((c) => c[i] !== null && c[i] !== undefined);
    if (!drawn) {
      inNulls = seenValue;
      continue;
    }
    if (inNulls) gaps++;
    inNulls = false;
    seenValue = true;
  }
  return gaps;
}
