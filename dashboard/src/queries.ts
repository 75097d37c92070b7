/**
 * Every PromQL query the dashboard runs, and how each chart shows its results. This is the single
 * list: the build writes it to dist/dashboard/queries.json, and test/dashboard/queries.test.ts
 * runs every expression against a real `edgewatch up` so a misspelt metric name fails a test
 * instead of leaving an empty chart on a box in a shed.
 *
 * Legends use Grafana's `{{label}}` syntax so deploy/grafana/dashboards/edgewatch.json can use
 * the same strings.
 */

export type Unit =
  | 'celsius'
  | 'percent'
  | 'hectopascals'
  | 'seconds'
  | 'bytes'
  | 'per_second'
  | 'count'
  | 'up';

export interface SeriesQuery {
  expr: string;
  legend: string;
  /** Applied to every value before drawing: ratio → %, Pa → hPa. */
  scale?: number;
  /** Drawn dashed: limits rather than measurements. */
  dashed?: boolean;
  /**
   * `stack`: the series exist only under `edgewatch up` (component memory, the budget), not when
   * the sensor service runs alone. The query test runs against `edgewatch up`, so it checks them too.
   */
  needs?: 'stack';
}

export interface ChartSpec {
  id: string;
  title: string;
  unit: Unit;
  /** Left out of the page when no series exists at all (a box without that kind of sensor). */
  optional?: boolean;
  queries: readonly SeriesQuery[];
}

const sensorLegend = '{{location}} {{device}} {{channel}}';

export const charts: readonly ChartSpec[] = [
  {
    id: 'temperature',
    title: 'Temperature',
    unit: 'celsius',
    queries: [{ expr: 'sensor_temperature_celsius', legend: sensorLegend }],
  },
  {
    id: 'humidity',
    title: 'Relative humidity',
    unit: 'percent',
    optional: true,
    queries: [{ expr: 'sensor_humidity_ratio', legend: sensorLegend, scale: 100 }],
  },
  {
    id: 'pressure',
    title: 'Pressure',
    unit: 'hectopascals',
    optional: true,
    queries: [{ expr: 'sensor_pressure_pascals', legend: sensorLegend, scale: 0.01 }],
  },
  {
    id: 'scrape-duration',
    title: 'Scrape duration by job',
    unit: 'seconds',
    queries: [{ expr: 'max by (job) (scrape_duration_seconds)', legend: '{{job}}' }],
  },
  {
    id: 'errors',
    title: 'Errors',
    unit: 'per_second',
    queries: [
      { expr: 'rate(sensor_scrape_errors_total[5m])', legend: 'scrape errors' },
      { expr: 'rate(sensor_read_errors_total[5m])', legend: 'read errors {{device}}' },
    ],
  },
  {
    id: 'up',
    title: 'Targets up',
    unit: 'up',
    queries: [{ expr: 'up', legend: '{{job}}' }],
  },
  {
    id: 'queue-depth',
    title: 'Sensor read queue',
    unit: 'count',
    queries: [{ expr: 'sensor_queue_depth', legend: 'reads in flight' }],
  },
  {
    id: 'memory',
    title: 'Memory by component (PSS)',
    unit: 'bytes',
    queries: [
      { expr: 'edgewatch_component_memory_bytes{kind="pss"}', legend: '{{component}}', needs: 'stack' },
      // The budget bounds the sum, so the sum is drawn against it.
      { expr: 'sum(edgewatch_component_memory_bytes{kind="pss"})', legend: 'total', needs: 'stack' },
      { expr: 'edgewatch_memory_budget_bytes', legend: 'budget', dashed: true, needs: 'stack' },
    ],
  },
  {
    id: 'disk',
    title: 'Free disk',
    unit: 'bytes',
    queries: [{ expr: 'node_filesystem_avail_bytes', legend: '{{mountpoint}}' }],
  },
];

/** A figure of the host health panel on Now: an instant query, one value per series. */
export interface HostQuery {
  id:
    | 'cpu'
    | 'memory_used'
    | 'memory_total'
    | 'disk_size'
    | 'disk_avail'
    | 'load1'
    | 'load5'
    | 'load15'
    | 'uptime';
  expr: string;
}

/**
 * Host health, from the node_* metrics edgewatch exposes (src/host/host-collector.ts), read
 * through VictoriaMetrics in the Now view's one batch: CPU busy over the last minute, memory and
 * disk used against their totals, load, uptime.
 */
export const hostQueries: readonly HostQuery[] = [
  { id: 'cpu', expr: '1 - avg(rate(node_cpu_seconds_total{mode="idle"}[1m]))' },
  { id: 'memory_used', expr: 'node_memory_MemTotal_bytes - node_memory_MemAvailable_bytes' },
  { id: 'memory_total', expr: 'node_memory_MemTotal_bytes' },
  { id: 'disk_size', expr: 'node_filesystem_size_bytes' },
  { id: 'disk_avail', expr: 'node_filesystem_avail_bytes' },
  { id: 'load1', expr: 'node_load1' },
  { id: 'load5', expr: 'node_load5' },
  { id: 'load15', expr: 'node_load15' },
  { id: 'uptime', expr: 'node_time_seconds - node_boot_time_seconds' },
];
