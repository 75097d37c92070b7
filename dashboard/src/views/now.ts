/** Now: every sensor's current reading, with active alerts on top. Data: /sensor, /api/alerts. */
import { describeError, getJson } from '../api.js';
import { banner, h, replace } from '../dom.js';
import { formatAge, formatReading } from '../format.js';
import { formatState } from '../state.js';
import type { AlertsReport, SensorEntry, SensorReport } from '../types.js';
import { activeAlertList } from './alerts-list.js';
import type { View, ViewContext } from './view.js';

const stateText: Record<SensorEntry['state'], string> = {
  ok: 'OK',
  stale: 'Stale',
  failing: 'Failing',
  pending: 'Not read yet',
};

export function nowView(): View {
  const alerts = h('section', { class: 'now-alerts', 'aria-label': 'Active alerts' });
  const sensors = h('section', { 'aria-labelledby': 'sensors-heading' });
  const root = h('div', { class: 'view view-now' }, alerts, sensors);

  return {
    root,
    async update(ctx: ViewContext) {
      const [sensorResult, alertResult] = await Promise.allSettled([
        getJson<SensorReport>('/sensor', ctx.signal),
        getJson<AlertsReport>('/api/alerts', ctx.signal),
      ]);
      if (ctx.signal.aborted) throw new DOMException('refresh superseded', 'AbortError');

      if (alertResult.status === 'fulfilled') {
        const active = alertResult.value.active;
        replace(
          alerts,
          active.length > 0 &&
            h(
              'h2',
              { class: 'alerts-heading' },
              `${active.length} active alert${active.length === 1 ? '' : 's'}`,
            ),
          active.length > 0 && activeAlertList(active),
        );
      } else {
        replace(alerts, banner('notice', `Alerts unavailable: ${describeError(alertResult.reason)}`));
      }

      if (sensorResult.status === 'rejected') {
        replace(
          sensors,
          h('h2', { id: 'sensors-heading' }, 'Sensors'),
          banner('error', `Sensor service unavailable: ${describeError(sensorResult.reason)}`),
        );
        return;
      }
      const report = sensorResult.value;
      replace(
        sensors,
        h('h2', { id: 'sensors-heading' }, 'Sensors'),
        h(
          'p',
          { class: `overall status-${report.status}` },
          `${report.sensors.length} sensor${report.sensors.length === 1 ? '' : 's'} · service ${report.status}`,
        ),
        report.sensors.length === 0
          ? banner('notice', 'No sensors found.')
          : h('div', { class: 'sensor-grid' }, ...report.sensors.map((s) => sensorCard(s, ctx))),
      );
    },
    destroy() {},
  };
}

function sensorCard(sensor: SensorEntry, ctx: ViewContext): HTMLElement {
  const readings = Object.entries(sensor.values).map(([key, value]) => formatReading(key, value));
  const selected = ctx.state.sensor === sensor.id;
  return h(
    'article',
    { class: `sensor state-${sensor.state}`, 'aria-current': selected ? 'true' : undefined },
    h(
      'header',
      {},
      h('h3', {}, sensor.name || sensor.device),
      h('span', { class: `badge state-${sensor.state}` }, stateText[sensor.state]),
    ),
    h('p', { class: 'muted' }, sensor.location || 'no location', ' · ', h('code', {}, sensor.id)),
    readings.length === 0
      ? h('p', { class: 'muted' }, 'No values.')
      : h(
          'dl',
          { class: 'readings' },
          ...readings.flatMap((r) => [h('dt', {}, r.label), h('dd', {}, r.text)]),
        ),
    h('p', { class: 'age' }, `Read ${formatAge(sensor.age_seconds)}`),
    h(
      'a',
      { href: formatState({ ...ctx.state, view: 'charts', sensor: sensor.id }) },
      `Charts for ${sensor.name || sensor.device}`,
    ),
  );
}
