/** Medians, noise and markdown tables for the benchmarks that repeat windows. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** "median (min–max)" with `digits` decimals; the spread is the noise the reader should see. */
export function spread(values: readonly number[], digits = 1): string {
  if (values.length === 0) return '—';
  const m = median(values).toFixed(digits);
  if (values.length === 1) return m;
  return `${m} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;
}

/** Ratio of medians, e.g. "0.31×"; `—` without a reference. */
export function ratio(values: readonly number[], reference: readonly number[] | undefined): string {
  if (!reference || reference.length === 0) return '—';
  const r = median(values) / median(reference);
  return Number.isFinite(r) ? `${r.toFixed(2)}×` : '—';
}

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

/** Parsed `--key=value` / `--flag` arguments; repeated keys keep every value. */
export function parseArgs(argv: readonly string[]): {
  get(key: string): string | undefined;
  all(key: string): string[];
} {
  const values = new Map<string, string[]>();
  for (const arg of argv) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new Error(`unexpected argument ${arg}: options are --name=value`);
    values.set(m[1] as string, [...(values.get(m[1] as string) ?? []), m[2] ?? 'true']);
  }
  return { get: (key) => values.get(key)?.at(-1), all: (key) => values.get(key) ?? [] };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Hardware and date stamp for a table. */
export function stamp(hardwareText: string): string {
  return `${hardwareText}; ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
