/**
 * Host health on Now: CPU, memory and disk used against their totals, load, uptime. The values
 * come from VictoriaMetrics (queries.ts hostQueries, in the Now view's batch); without it the last
 * ones stay, marked as such.
 */
import { type BatchQuery, batchErrorText } from '../api.js';
import { h, replace } from '../dom.js';
import { formatBytes, formatSeconds } from '../format.js';
import { type HostQuery, hostQueries } from '../queries.js';
import type { QueryBatchResultJson } from '../types.js';

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

export function hostBatch(): BatchQuery[] {
  return hostQueries.map((q) => ({ endpoint: '/api/v1/query', params: { query: q.expr } }));
}

type Values = Partial<Record<HostQuery['id'], Sample[]>>;

/** Pseudo and container filesystems are not the box's storage. */
const shownFs = (m: Record<string, string>) => !/^(tmpfs|devtmpfs|overlay|squashfs)$/.test(m.fstype ?? '');

const pct = (part: number, whole: number) => (whole > 0 ? `${((part / whole) * 100).toFixed(0)} %` : '–');

function rows(v: Values): Array<[string, string]> {
  const one = (id: HostQuery['id']) => {
    const n = Number(v[id]?.[0]?.value[1]);
    return Number.isFinite(n) ? n : undefined;
  };
  const out: Array<[string, string]> = [];
  const cpu = one('cpu');
  if (cpu !== undefined) out.push(['CPU busy (1 min)', `${(cpu * 100).toFixed(0)} %`]);
  const used = one('memory_used');
  const total = one('memory_total');
  if (used !== undefined && total !== undefined)
    out.push(['Memory used', `${formatBytes(used)} of ${formatBytes(total)} (${pct(used, total)})`]);
  for (const size of (v.disk_size ?? []).filter((s) => shownFs(s.metric))) {
    const mount = size.metric.mountpoint ?? '?';
    const avail = v.disk_avail?.find((a) => a.metric.mountpoint === mount);
    const s = Number(size.value[1]);
    const a = Number(avail?.value[1]);
    if (!Number.isFinite(s) || !Number.isFinite(a)) continue;
    out.push([`Disk ${mount}`, `${formatBytes(s - a)} of ${formatBytes(s)} used (${pct(s - a, s)})`]);
  }
  const [l1, l5, l15] = [one('load1'), one('load5'), one('load15')];
  if (l1 !== undefined)
    out.push(['Load 1 / 5 / 15 min', [l1, l5, l15].map((l) => l?.toFixed(2) ?? '–').join(' / ')]);
  const up = one('uptime');
  if (up !== undefined) out.push(['Up for', formatSeconds(up)]);
  return out;
}

export class HostHealth {
  readonly root: HTMLElement;
  readonly #list = h('dl', { class: 'host-list' });
  readonly #note = h('p', { class: 'muted' });

  constructor() {
    this.root = h(
      'section',
      { class: 'host', 'aria-labelledby': 'host-heading' },
      h('h2', { id: 'host-heading' }, 'Host'),
      this.#note,
      this.#list,
    );
  }

  /** `results`: the batch's host entries, in hostQueries order; undefined when the batch failed. */
  update(results: readonly QueryBatchResultJson[] | undefined, failure: string | undefined): void {
    const values: Values = {};
    let error = failure;
    hostQueries.forEach((q, i) => {
      const r = results?.[i];
      if (r?.status === 'success') values[q.id] = r.data.result as Sample[];
      else if (r?.status === 'error') error ??= batchErrorText(r);
    });
    const list = rows(values);
    if (list.length > 0) {
      replace(this.#list, ...list.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
      this.#list.classList.remove('old');
    } else if (error) {
      this.#list.classList.add('old');
    }
    this.#note.hidden = error === undefined;
    this.#note.textContent = error
      ? `Host figures unavailable: ${error}${this.#list.children.length > 0 ? '; the last known are shown' : ''}`
      : '';
  }
}
