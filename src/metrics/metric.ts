/**
 * Gauge, counter and histogram families with labelled series. A series' `name{labels} ` prefix
 * is built when the series is created, so rendering is string concatenation only.
 */
import {
  type ExpositionFormat,
  FamilyHeader,
  type FamilySpec,
  formatLabels,
  formatValue,
} from './exposition.js';
import type { Collector } from './registry.js';

export interface Series {
  value: number;
}

interface StoredSeries extends Series {
  readonly prefix: string;
}

abstract class ScalarFamily<L extends string> implements Collector {
  readonly header: FamilyHeader;
  readonly labelNames: readonly L[];
  readonly #series = new Map<string, StoredSeries>();

  constructor(spec: Omit<FamilySpec, 'type'> & { labelNames?: readonly L[] }, type: FamilySpec['type']) {
    this.header = new FamilyHeader({ ...spec, type });
    this.labelNames = spec.labelNames ?? [];
  }

  /** The series for these label values, created at 0 the first time. Keep the result: it is the fast path. */
  series(labels: Readonly<Record<L, string>> = {} as Record<L, string>): Series {
    const key = this.labelNames.map((n) => labels[n]).join('\u0000');
    let series = this.#series.get(key);
    if (!series) {
      const ordered: Record<string, string> = {};
      for (const n of this.labelNames) {
        const v = labels[n];
        if (v === undefined) throw new Error(`${this.header.name}: missing label ${n}`);
        ordered[n] = v;
      }
      series = { prefix: `${this.header.name}${formatLabels(ordered)} `, value: 0 };
      this.#series.set(key, series);
    }
    return series;
  }

  remove(labels: Readonly<Record<L, string>>): void {
    this.#series.delete(this.labelNames.map((n) => labels[n]).join('\u0000'));
  }

  clear(): void {
    this.#series.clear();
  }

  get size(): number {
    return this.#series.size;
  }

  collect(out: string, format: ExpositionFormat): string {
    if (this.#series.size === 0) return out;
    out += this.header.text(format);
    for (const s of this.#series.values()) out += `${s.prefix}${formatValue(s.value)}\n`;
    return out;
  }
}

export class GaugeFamily<L extends string = never> extends ScalarFamily<L> {
  constructor(spec: Omit<FamilySpec, 'type'> & { labelNames?: readonly L[] }) {
    super(spec, 'gauge');
  }
}

export class CounterFamily<L extends string = never> extends ScalarFamily<L> {
  constructor(spec: Omit<FamilySpec, 'type'> & { labelNames?: readonly L[] }) {
    super(spec, 'counter');
  }
}

/** `name_info{...} 1`: metadata as labels (chip name, version) without multiplying other series. */
export class InfoFamily<L extends string = never> extends ScalarFamily<L> {
  constructor(spec: Omit<FamilySpec, 'type'> & { labelNames?: readonly L[] }) {
    super(spec, 'info');
  }

  override series(labels: Readonly<Record<L, string>>): Series {
    const s = super.series(labels);
    s.value = 1;
    return s;
  }
}

export interface HistogramSeries {
  observe(value: number): void;
}

class StoredHistogram implements HistogramSeries {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  readonly bucketPrefixes: string[];
  readonly sumPrefix: string;
  readonly countPrefix: string;

  constructor(
    readonly bounds: readonly number[],
    name: string,
    labels: Record<string, string>,
  ) {
    this.counts = new Float64Array(bounds.length);
    this.bucketPrefixes = [...bounds, Number.POSITIVE_INFINITY].map(
      (le) => `${name}_bucket${formatLabels(labels, `le="${formatValue(le)}"`)} `,
    );
    const plain = formatLabels(labels);
    this.sumPrefix = `${name}_sum${plain} `;
    this.countPrefix = `${name}_count${plain} `;
  }

  observe(value: number): void {
    const { bounds, counts } = this;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= (bounds[i] as number)) {
        counts[i] = (counts[i] as number) + 1;
        break;
      }
    }
    this.sum += value;
    this.count++;
  }

  render(out: string): string {
    let cumulative = 0;
    for (let i = 0; i < this.counts.length; i++) {
      cumulative += this.counts[i] as number;
      out += `${this.bucketPrefixes[i]}${cumulative}\n`;
    }
    out += `${this.bucketPrefixes[this.counts.length]}${this.count}\n`;
    out += `${this.sumPrefix}${formatValue(this.sum)}\n${this.countPrefix}${this.count}\n`;
    return out;
  }
}

export class HistogramFamily<L extends string = never> implements Collector {
  readonly header: FamilyHeader;
  readonly #series = new Map<string, StoredHistogram>();

  constructor(
    readonly spec: Omit<FamilySpec, 'type'> & { labelNames?: readonly L[]; buckets: readonly number[] },
  ) {
    this.header = new FamilyHeader({ ...spec, type: 'histogram' });
  }

  series(labels: Readonly<Record<L, string>> = {} as Record<L, string>): HistogramSeries {
    const names = this.spec.labelNames ?? [];
    const key = names.map((n) => labels[n]).join('\u0000');
    let series = this.#series.get(key);
    if (!series) {
      const ordered: Record<string, string> = {};
      for (const n of names) ordered[n] = labels[n];
      series = new StoredHistogram(this.spec.buckets, this.spec.name, ordered);
      this.#series.set(key, series);
    }
    return series;
  }

  collect(out: string, format: ExpositionFormat): string {
    if (this.#series.size === 0) return out;
    out += this.header.text(format);
    for (const s of this.#series.values()) out = s.render(out);
    return out;
  }
}

/** A collector made of several families, rendered in order. */
export class FamilyGroup implements Collector {
  constructor(readonly families: readonly Collector[]) {}

  collect(out: string, format: ExpositionFormat): string {
    for (const f of this.families) out = f.collect(out, format);
    return out;
  }
}
