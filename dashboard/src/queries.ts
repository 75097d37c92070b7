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
    queries: [{ expr: 'sensor_humidity_ratio', legend: sensorLegend, scale: 100 }],
  },
  {
    id: 'pressure',
    title: 'Pressure',
    unit: 'hectopascals',
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
