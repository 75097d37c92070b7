/**
 * What the Charts view needs beside VictoriaMetrics: each sensor's one name (from /sensor, the
 * same `sensorTitle` as its card on Now) and the alert thresholds the box uses (/api/thresholds,
 * `edgewatch up` only). Read once, and again only while something is missing (a sensor the
 * names do not know, thresholds not read yet), so a refresh stays one request.
 */
import { ApiError, getJson } from './api.js';
import type { ChartLine } from './chart.js';
import { formatReading } from './format.js';
import type { ChartSpec } from './queries.js';
import type { SensorReport, ThresholdJson, ThresholdsJson } from './types.js';
import { sensorTitle } from './verdict.js';

export class ChartMeta {
  /** `source/device` → the sensor's name, as on its card. */
  readonly names = new Map<string, string>();
  thresholds: readonly ThresholdJson[] | undefined;

  /** Fetches what is missing; never rejects (the charts draw without names or lines). */
  async load(unknownSensor: boolean, signal: AbortSignal): Promise<void> {
    const tasks: Promise<void>[] = [];
    if (unknownSensor || this.names.size === 0) {
      tasks.push(
        getJson<SensorReport>('/sensor', signal).then((r) => {
          for (const s of r.sensors) this.names.set(s.id, sensorTitle(s, r.sensors));
        }),
      );
    }
    if (this.thresholds === undefined) {
      tasks.push(
        getJson<ThresholdsJson>('/api/thresholds', signal).then(
          (r) => {
            this.thresholds = r.thresholds;
          },
          (err: unknown) => {
            // `edgewatch sensor` alone has no rules, so no thresholds: nothing to draw.
            if (err instanceof ApiError && err.status === 404) this.thresholds = [];
            else throw err;
          },
        ),
      );
    }
    await Promise.allSettled(tasks);
  }

  /**
   * A sensor series' legend: the sensor's name, then the quantity in words as the card labels
   * the reading ("shed bme280 Temperature"). Undefined for other series or an unknown sensor.
   */
  seriesName(labels: Record<string, string>): string | undefined {
    if (labels.source === undefined || labels.device === undefined) return undefined;
    const name = this.names.get(`${labels.source}/${labels.device}`);
    if (name === undefined) return undefined;
    // sensor_temperature_celsius → celsius: the unit part of the `values` key the card reads.
    const unit = (labels.__name__ ?? '').split('_').pop() ?? '';
    return `${name} ${formatReading(`${labels.channel ?? ''}_${unit}`, 0).label}`;
  }
}

/** The thresholds on the metric one of the chart's queries reads, scaled as that query is. */
export function linesFor(spec: ChartSpec, thresholds: readonly ThresholdJson[]): ChartLine[] {
  return thresholds.flatMap((t) => {
    const query = spec.queries.find((q) => q.expr === t.metric);
    if (!query) return [];
    const value = t.value * (query.scale ?? 1);
    // The legend reads "alert above: 40.0 °C": the value is the line's legend value.
    return [{ label: `alert ${t.direction}`, value }];
  });
}
