/**
 * Sensor readings and per-sensor health. Reads the SensorStatus cache; stale readings are left
 * out, so Prometheus marks those series stale instead of charting an old value as current.
 *
 * Every label block goes through the exposition library's formatLabels (the one escaping
 * function): chip names, locations and sysfs labels are whatever the kernel or the operator
 * wrote, and one unescaped `"` would make the whole /metrics body unparseable.
 */
import { type ExpositionFormat, FamilyHeader, formatLabels, formatValue } from '../metrics/exposition.js';
import type { Collector } from '../metrics/registry.js';
import type { SensorStatus } from './sensor-status.js';
import type { Quantity, Sensor } from './types.js';

/** A sensor's label blocks, built once per sensor (and channel): rendering only concatenates. */
class SensorLabels {
  /** `{source="…",device="…",location="…"} ` */
  readonly health: string;
  /** `{source="…",device="…",location="…",name="…"} ` */
  readonly info: string;
  readonly #channels = new Map<string, string>();

  constructor(private readonly sensor: Sensor) {
    const { source, device, location, name } = sensor;
    this.health = `${formatLabels({ source, device, location })} `;
    this.info = `${formatLabels({ source, device, location, name })} `;
  }

  /** `{source="…",device="…",channel="…",location="…"} `: the label block of one reading series. */
  channel(channel: string): string {
    let labels = this.#channels.get(channel);
    if (labels === undefined) {
      const { source, device, location } = this.sensor;
      labels = `${formatLabels({ source, device, channel, location })} `;
      this.#channels.set(channel, labels);
    }
    return labels;
  }
}

const readingFamilies: ReadonlyArray<[Quantity, FamilyHeader]> = [
  [
    'temperature',
    new FamilyHeader({ name: 'sensor_temperature_celsius', help: 'Temperature reading.', type: 'gauge' }),
  ],
  [
    'humidity',
    new FamilyHeader({
      name: 'sensor_humidity_ratio',
      help: 'Relative humidity reading (0..1).',
      type: 'gauge',
    }),
  ],
  [
    'pressure',
    new FamilyHeader({ name: 'sensor_pressure_pascals', help: 'Pressure reading.', type: 'gauge' }),
  ],
];

const upFamily = new FamilyHeader({
  name: 'sensor_up',
  help: '1 if the last read worked and the reading is fresh.',
  type: 'gauge',
});
const errorsFamily = new FamilyHeader({
  name: 'sensor_read_errors_total',
  help: 'Failed reads.',
  type: 'counter',
});
const lastSuccessFamily = new FamilyHeader({
  name: 'sensor_last_success_timestamp_seconds',
  help: 'Time of the last successful read.',
  type: 'gauge',
});
const infoFamily = new FamilyHeader({ name: 'sensor_info', help: 'Sensor chip or zone name.', type: 'info' });

export class SensorCollector implements Collector {
  readonly #labels = new WeakMap<SensorStatus, SensorLabels>();

  constructor(
    private readonly statuses: () => Iterable<SensorStatus>,
    private readonly staleAfterMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  collect(out: string, format: ExpositionFormat): string {
    const now = this.now();
    for (const [quantity, header] of readingFamilies) {
      let wroteHeader = false;
      for (const status of this.statuses()) {
        if (!status.hasFreshReadings(now, this.staleAfterMs)) continue;
        for (const reading of status.readings) {
          if (reading.quantity !== quantity) continue;
          if (!wroteHeader) {
            out += header.text(format);
            wroteHeader = true;
          }
          out += `${header.name}${this.#labelsOf(status).channel(reading.channel)}${formatValue(reading.value)}\n`;
        }
      }
    }
    out += upFamily.text(format);
    for (const s of this.statuses()) {
      out += `sensor_up${this.#labelsOf(s).health}${s.isUp(now, this.staleAfterMs) ? 1 : 0}\n`;
    }
    out += errorsFamily.text(format);
    for (const s of this.statuses()) {
      out += `sensor_read_errors_total${this.#labelsOf(s).health}${s.errorsTotal}\n`;
    }
    out += lastSuccessFamily.text(format);
    for (const s of this.statuses()) {
      out += `sensor_last_success_timestamp_seconds${this.#labelsOf(s).health}${s.lastSuccessMs / 1000}\n`;
    }
    out += infoFamily.text(format);
    for (const s of this.statuses()) out += `sensor_info${this.#labelsOf(s).info}1\n`;
    return out;
  }

  #labelsOf(status: SensorStatus): SensorLabels {
    let labels = this.#labels.get(status);
    if (labels === undefined) {
      labels = new SensorLabels(status.sensor);
      this.#labels.set(status, labels);
    }
    return labels;
  }
}
