/**
 * The fleet's Grafana dashboard (deploy/central/grafana/dashboards/fleet.json), for the central
 * store the boxes write to: devices reporting and stale, uplink backlog, readings by site, alerts
 * firing. Built with the box dashboard's panel builders and shell; the build writes it to
 * dist/dashboard/grafana-fleet.json and test/dashboard/grafana.test.ts fails when the shipped
 * file differs.
 *
 * It reads only what reaches the central with the default `uplink.jobs=edgewatch`: edgewatch's
 * own job (readings, uplink state, `edgewatch_alerts_active`) and vmagent's `up` for it, each
 * with the boxes' `device:` labels, assumed to be named `site` and `device`. vmalert's ALERTS
 * series are never sent (vmalert writes them to local storage only), so the alert panels count
 * `edgewatch_alerts_active`, which edgewatch serves from the alerts vmalert notifies it of.
 */
import type { Panel } from '@grafana/schema';
import { type GrafanaExport, grafanaExport } from './grafana-export.js';
import { grid, resetIds, stat, table, timeseries, variable } from './grafana-panels.js';
import { type ChartSpec, charts, type Unit } from './queries.js';

/** The site and device variables, on every series. */
const F = 'site=~"$site", device=~"$device"';
/** vmagent's scrape of edgewatch on a box: one series per box, a sample every scrape. */
const boxUp = `up{job="edgewatch", ${F}}`;
/**
 * When the central last heard of each box, up to a day back (MetricsQL's tlast_over_time: the
 * timestamp of the last sample); older boxes drop out of the stale list.
 */
const lastSeen = `max by (site, device) (tlast_over_time(${boxUp}[1d]))`;
/** A box is stale when its last sample is older than this: 8 scrapes at the default 15 s. */
const STALE_S = 120;

function chart(id: string, title: string, unit: Unit, queries: ChartSpec['queries']): ChartSpec {
  return { id, title, unit, queries };
}

/** A reading averaged and at its maximum per site, from the box dashboard's chart of it. */
function bySite(id: string): ChartSpec {
  const spec = charts.find((c) => c.id === id) as ChartSpec;
  const q = spec.queries[0] as ChartSpec['queries'][number];
  return chart(`fleet-${id}`, `${spec.title} by site`, spec.unit, [
    { expr: `avg by (site) (${q.expr}{${F}})`, legend: '{{site}} mean', scale: q.scale },
    { expr: `max by (site) (${q.expr}{${F}})`, legend: '{{site}} max', scale: q.scale },
  ]);
}

export function fleetDashboard(): GrafanaExport {
  resetIds();
  const perDevice = '{{site}} {{device}}';
  const panels: Panel[] = [
    stat(
      'Devices reporting',
      'short',
      `count(count by (site, device) (last_over_time(${boxUp}[${STALE_S}s]))) or vector(0)`,
      'reporting',
      grid(0, 0, 5, 4),
    ),
    stat(
      `Devices stale (> ${STALE_S / 60} min)`,
      'short',
      `count(time() - ${lastSeen} > ${STALE_S}) or vector(0)`,
      'stale',
      grid(5, 0, 5, 4),
    ),
    stat(
      'Uplinks down',
      'short',
      `count(edgewatch_uplink_up{${F}} == 0) or vector(0)`,
      'down',
      grid(10, 0, 5, 4),
    ),
    stat(
      'Uplink backlog',
      'bytes',
      `sum(edgewatch_uplink_pending_bytes{${F}})`,
      'pending',
      grid(15, 0, 5, 4),
    ),
    stat('Alerts firing', 'short', `sum(edgewatch_alerts_active{${F}})`, 'firing', grid(20, 0, 4, 4)),
    table('Last sample age per device', `sort_desc(time() - ${lastSeen})`, perDevice, grid(0, 4, 12, 8)),
    timeseries(
      chart('fleet-alerts', 'Alerts firing per device', 'count', [
        {
          expr: `sum by (site, device, severity) (edgewatch_alerts_active{${F}})`,
          legend: '{{site}} {{device}} {{severity}}',
        },
      ]),
      grid(12, 4, 12, 8),
    ),
    timeseries(
      chart('fleet-backlog', 'Uplink backlog per device', 'bytes', [
        { expr: `sum by (site, device) (edgewatch_uplink_pending_bytes{${F}})`, legend: perDevice },
      ]),
      grid(0, 12, 12, 8),
    ),
    timeseries(
      chart('fleet-unsent', 'Oldest unsent sample per device', 'seconds', [
        {
          expr: `max by (site, device) (time() - edgewatch_uplink_delivered_until_seconds{${F}})`,
          legend: perDevice,
        },
      ]),
      grid(12, 12, 12, 8),
    ),
    timeseries(
      chart('fleet-uplink-up', 'Uplink up per device', 'up', [
        { expr: `min by (site, device) (edgewatch_uplink_up{${F}})`, legend: perDevice },
      ]),
      grid(0, 20, 12, 8),
    ),
    timeseries(
      chart('fleet-dropped', 'Queued bytes dropped and blocks refused', 'per_second', [
        {
          expr: `sum by (site, device) (rate(edgewatch_uplink_queue_dropped_bytes_total{${F}}[5m]))`,
          legend: '{{site}} {{device}} bytes dropped',
        },
        {
          expr: `sum by (site, device) (rate(edgewatch_uplink_refused_blocks_total{${F}}[5m]))`,
          legend: '{{site}} {{device}} blocks refused',
        },
      ]),
      grid(12, 20, 12, 8),
    ),
    ...['temperature', 'humidity', 'pressure'].map((id, i) =>
      timeseries(bySite(id), grid((i % 2) * 12, 28 + Math.floor(i / 2) * 8, 12, 8)),
    ),
  ];
  return grafanaExport({
    uid: 'edgewatch-fleet',
    title: 'edgewatch fleet',
    description:
      "A fleet of edgewatch boxes at the central store: devices reporting and stale, uplink backlog, readings by site, alerts firing. Needs the boxes' device: labels site and device, and uplink.jobs including edgewatch (the default).",
    input: {
      name: 'DS_FLEET',
      label: 'Central VictoriaMetrics',
      description:
        "The central store the boxes' remote_write reaches (vmselect, or a single-node VictoriaMetrics)",
    },
    datasourceText: 'fleet',
    variables: [
      variable('site', 'Site', 'label_values(up{job="edgewatch"}, site)'),
      variable('device', 'Device', 'label_values(up{job="edgewatch", site=~"$site"}, device)'),
    ],
    panels,
  });
}
