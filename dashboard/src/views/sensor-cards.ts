/**
 * The Now view's sensor cards, updated in place: a refresh changes texts and classes of the cards
 * already there, so keyboard focus (on a "Charts for …" link) and a text selection survive it.
 */
import { h, replace } from '../dom.js';
import { formatAge, formatReading } from '../format.js';
import { formatState } from '../state.js';
import type { ActiveAlert, SensorEntry } from '../types.js';
import { alertsFor, sensorTitle } from '../verdict.js';
import type { ViewContext } from './view.js';

const stateText: Record<SensorEntry['state'], string> = {
  ok: 'OK',
  stale: 'Stale',
  failing: 'Failing',
  pending: 'Not read yet',
};

interface Card {
  root: HTMLElement;
  title: HTMLElement;
  badge: HTMLElement;
  alert: HTMLElement;
  readings: HTMLElement;
  readingKeys: string;
  age: HTMLElement;
  link: HTMLAnchorElement;
}

function newCard(sensor: SensorEntry): Card {
  const title = h('h3', {});
  const badge = h('span', { class: 'badge' });
  const alert = h('p', { class: 'card-alert' });
  const readings = h('dl', { class: 'readings' });
  const age = h('p', { class: 'age' });
  const link = h('a', {});
  const root = h(
    'article',
    { class: 'sensor', 'data-sensor': sensor.id },
    h('header', {}, title, badge),
    h('p', { class: 'muted' }, h('code', {}, sensor.id)),
    alert,
    readings,
    age,
    link,
  );
  return { root, title, badge, alert, readings, readingKeys: '', age, link };
}

export class SensorCards {
  readonly root = h('div', { class: 'sensor-grid' });
  readonly #cards = new Map<string, Card>();

  update(sensors: readonly SensorEntry[], alerts: readonly ActiveAlert[], ctx: ViewContext): void {
    const seen = new Set<string>();
    sensors.forEach((sensor, i) => {
      seen.add(sensor.id);
      let card = this.#cards.get(sensor.id);
      if (!card) {
        card = newCard(sensor);
        this.#cards.set(sensor.id, card);
      }
      if (this.root.children[i] !== card.root)
        this.root.insertBefore(card.root, this.root.children[i] ?? null);
      fill(card, sensor, sensorTitle(sensor, sensors), alertsFor(sensor, alerts), ctx);
    });
    for (const [id, card] of this.#cards) {
      if (seen.has(id)) continue;
      card.root.remove();
      this.#cards.delete(id);
    }
  }
}

function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

function fill(card: Card, sensor: SensorEntry, title: string, alerts: ActiveAlert[], ctx: ViewContext): void {
  // A firing alert outranks the read state: the card of a sensor an alert is about is never "OK".
  const severity = alerts.some((a) => a.severity === 'critical')
    ? 'critical'
    : alerts.length > 0
      ? 'warning'
      : '';
  const look = severity !== '' && sensor.state === 'ok' ? `alert-${severity}` : `state-${sensor.state}`;
  card.root.className = `sensor ${look}`;
  card.root.toggleAttribute('aria-current', ctx.state.sensor === sensor.id);
  setText(card.title, title);
  card.badge.className = `badge ${look}`;
  setText(card.badge, severity !== '' && sensor.state === 'ok' ? 'Alert' : stateText[sensor.state]);
  card.alert.hidden = alerts.length === 0;
  setText(card.alert, alerts.map((a) => a.annotations.summary ?? a.name).join('; '));

  const readings = Object.entries(sensor.values).map(([key, value]) => formatReading(key, value));
  const keys = readings.map((r) => r.label).join('\n');
  const old = sensor.state === 'stale' || sensor.state === 'failing';
  if (keys !== card.readingKeys || readings.length === 0) {
    card.readingKeys = keys;
    replace(
      card.readings,
      ...(readings.length === 0
        ? [h('dt', {}, 'Values'), h('dd', { class: 'muted' }, 'none yet')]
        : readings.flatMap((r) => [h('dt', {}, r.label), h('dd', {})])),
    );
  }
  const dds = card.readings.querySelectorAll('dd');
  readings.forEach((r, i) => {
    const dd = dds[i];
    if (dd) setText(dd, old ? `${r.text} (last known)` : r.text);
  });
  setText(card.age, `Read ${formatAge(sensor.age_seconds)}`);
  const href = formatState({ ...ctx.state, view: 'charts', sensor: sensor.id });
  if (card.link.getAttribute('href') !== href) card.link.setAttribute('href', href);
  setText(card.link, `Charts for ${title}`);
}
