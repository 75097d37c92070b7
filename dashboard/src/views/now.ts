/**
 * Now: is this box OK? One verdict on top (from sensors, alerts and the stack), then the firing
 * alerts, the readings, and host health. Data: /sensor, /api/alerts, /api/stack and one
 * /api/query_batch for host figures; the readings come from edgewatch itself, so they stay live
 * while VictoriaMetrics (history, alerting, host figures) is down, and Now says which is which.
 */
import { ApiError, describeError, getJson, queryBatch, storageDown } from '../api.js';
import { banner, h, replace } from '../dom.js';
import { QUERY_TIMEOUT_MS, vmDownText } from '../freshness.js';
import type { AlertsReport, QueryBatchResultJson, SensorReport, StackReport } from '../types.js';
import { levelText, type Verdict, verdict } from '../verdict.js';
import { activeAlertList } from './alerts-list.js';
import { HostHealth, hostBatch } from './host-health.js';
import { SensorCards } from './sensor-cards.js';
import type { RefreshResult, View, ViewContext } from './view.js';

/** Served only by `edgewatch up`: under `edgewatch sensor` a 404 means "no stack", not a failure. */
const notServed = (r: PromiseSettledResult<unknown>) =>
  r.status === 'rejected' && r.reason instanceof ApiError && r.reason.status === 404;

export function nowView(): View {
  const verdictBox = h('section', { class: 'verdict', 'aria-labelledby': 'verdict-heading' });
  const alerts = h('section', { class: 'now-alerts', 'aria-label': 'Active alerts' });
  const cards = new SensorCards();
  const summary = h('p', { class: 'overall' });
  const sensorNotice = h('div');
  const sensors = h(
    'section',
    { 'aria-labelledby': 'sensors-heading' },
    h('h2', { id: 'sensors-heading' }, 'Sensors'),
    summary,
    sensorNotice,
    cards.root,
  );
  const host = new HostHealth();
  const root = h('div', { class: 'view view-now' }, verdictBox, alerts, sensors, host.root);
  let last: Verdict | undefined;
  /** Set by the page while the data is not current; the verdict then claims nothing. */
  let staleMark: string | undefined;
  /** VictoriaMetrics' absence as the last refresh found it, for the verdict drawn before the host figures. */
  let lastHistoryDown: string | undefined;

  const showVerdict = (v: Verdict | undefined, staleText: string | undefined) => {
    const level = staleText !== undefined || v === undefined ? 'unknown' : v.level;
    const headline = level === 'unknown' ? 'Unknown: not current' : levelText[v?.level ?? 'ok'];
    const reasons =
      staleText !== undefined
        ? // The banner above says how old and why, counting every second; drawn once, an age here
          // would fall behind it ("41 s" above, "10 s" here).
          [
            'what is shown is the last known state (see above)',
            ...(v ? [`last known: ${levelText[v.level]}`] : []),
          ]
        : (v?.reasons ?? []);
    verdictBox.className = `verdict verdict-${level}`;
    replace(
      verdictBox,
      h('h2', { id: 'verdict-heading' }, 'This box: ', h('span', { class: 'verdict-level' }, headline)),
      reasons.length > 0
        ? h('ul', { class: 'verdict-reasons' }, ...reasons.map((r) => h('li', {}, r)))
        : h('p', { class: 'verdict-reasons' }, 'Sensors reading, no alerts firing, stack healthy.'),
    );
  };

  return {
    root,
    title: 'Now',
    async update(ctx: ViewContext): Promise<RefreshResult> {
      const batch = hostBatch().map((q) => ({
        ...q,
        params: { ...q.params, timeout: `${QUERY_TIMEOUT_MS}ms` },
      }));
      // Host figures come through VictoriaMetrics, which may take its whole query timeout: the
      // readings (edgewatch's own) are drawn first, without waiting for them.
      const hostP = Promise.allSettled([queryBatch(batch, ctx.signal)]).then(([r]) => r);
      const [sensorR, alertR, stackR] = await Promise.allSettled([
        getJson<SensorReport>('/sensor', ctx.signal),
        getJson<AlertsReport>('/api/alerts', ctx.signal),
        getJson<StackReport>('/api/stack', ctx.signal),
      ]);
      if (ctx.signal.aborted) throw new DOMException('refresh superseded', 'AbortError');
      const nowMs = Date.now();

      const active = alertR.status === 'fulfilled' ? alertR.value.active : undefined;
      if (active !== undefined) {
        replace(
          alerts,
          active.length > 0 &&
            h(
              'h2',
              { class: 'alerts-heading' },
              `${active.length} active alert${active.length === 1 ? '' : 's'}`,
            ),
          active.length > 0 && activeAlertList(active, nowMs, true),
        );
      } else {
        replace(
          alerts,
          banner('notice', `Alerts unavailable: ${describeError((alertR as PromiseRejectedResult).reason)}`),
        );
      }

      const report = sensorR.status === 'fulfilled' ? sensorR.value : undefined;
      if (report) {
        const n = report.sensors.length;
        summary.textContent = `${n} sensor${n === 1 ? '' : 's'} · service ${report.status}`;
        summary.className = `overall status-${report.status}`;
        replace(sensorNotice, n === 0 ? banner('notice', 'No sensors found.') : null);
        cards.update(report.sensors, active ?? [], ctx);
      } else {
        // The cards stay, with their last values; the banner says they are not current.
        replace(
          sensorNotice,
          banner(
            'error',
            `Sensor service unavailable: ${describeError((sensorR as PromiseRejectedResult).reason)}`,
          ),
        );
      }

      // Without readings there is no new verdict: the last one stays, as "last known".
      const judge = (historyDown: string | undefined) => {
        if (report) {
          last = verdict({
            sensors: report.sensors,
            alerts: active,
            components: stackR.status === 'fulfilled' ? stackR.value.components : undefined,
            historyDown: historyDown === undefined ? undefined : `${vmDownText} (${historyDown})`,
          });
        }
        showVerdict(last, staleMark);
      };
      judge(lastHistoryDown);

      const hostR = (await hostP) as PromiseSettledResult<QueryBatchResultJson[]>;
      if (ctx.signal.aborted) throw new DOMException('refresh superseded', 'AbortError');
      const hostResults = hostR.status === 'fulfilled' ? hostR.value : undefined;
      const historyDown = hostResults ? storageDown(hostResults) : undefined;
      if (!notServed(hostR))
        host.update(hostResults, hostR.status === 'rejected' ? describeError(hostR.reason) : undefined);
      host.root.hidden = notServed(hostR);

      lastHistoryDown = historyDown;
      judge(historyDown);
      const reason =
        report === undefined
          ? describeError((sensorR as PromiseRejectedResult).reason)
          : historyDown && vmDownText;
      return { fresh: report !== undefined, reason: reason || undefined, firing: active?.length };
    },
    markStale(text) {
      staleMark = text;
      showVerdict(last, text);
    },
    destroy() {},
  };
}
