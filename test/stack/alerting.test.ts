/**
 * The acceptance test, end to end on the real stack: a simulated over-temperature fires an
 * alert that reaches edgewatch's receiver and runs the configured action. Nothing is posted by
 * hand: the sensor is read, VictoriaMetrics scrapes it, vmalert evaluates the shipped rules
 * (alerting.temperature-high below any reading, alerting.threshold-for=0s) and notifies edgewatch,
 * which stores the alert, logs it, counts it and runs alerting.action-command. The tests run in
 * order and share the stack.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AlertsReport } from '../../src/api/types.js';
import { httpGet } from '../helpers/net.js';
import { queryUntilPresent, type StackUnderTest, startStack } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait.js';

/** The value of the exposition line that starts with `series ` (name and labels), if present. */
function sampleValue(exposition: string, series: string): number | undefined {
  const line = exposition.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('edgewatch up alerting on an over-temperature', { timeout: 60_000 }, () => {
  let s: StackUnderTest;
  let actionDir: string;
  let actionFile: string;

  before(async () => {
    actionDir = await mkdtemp(join(tmpdir(), 'edgewatch-action-'));
    actionFile = join(actionDir, 'actions.log');
    s = await startStack([
      '--alerting.threshold-for=0s',
      // Below anything the simulated sensor reads (~20 °C): the alert must fire at once.
      '--alerting.temperature-high=-50',
      `--alerting.action-command=printf '%s %s %s\\n' "$EDGEWATCH_ALERT_NAME" "$EDGEWATCH_ALERT_STATE" "$EDGEWATCH_ALERT_SEVERITY" >> '${actionFile}'`,
    ]);
  });

  after(async () => {
    await s?.cleanup();
    if (actionDir) await rm(actionDir, { recursive: true, force: true });
  });

  it("lists SensorTemperatureHigh as active in GET /api/alerts, with the sensor's labels", async () => {
    // A new series is queryable in VictoriaMetrics 1.79 once it refreshes its index of the current
    // hour, every 10 s on a fresh database; vmalert sees the reading only then.
    const alert = await waitFor(
      'SensorTemperatureHigh in GET /api/alerts',
      async () => {
        const res = await httpGet(`${s.webUrl}/api/alerts`);
        const report = JSON.parse(res.body) as AlertsReport;
        return report.active.find((a) => a.name === 'SensorTemperatureHigh');
      },
      30_000,
      200,
    );
    assert.equal(alert.state, 'firing');
    assert.equal(alert.severity, 'warning');
    assert.equal(alert.labels.alertname, 'SensorTemperatureHigh');
    assert.equal(alert.labels.severity, 'warning');
    assert.equal(alert.labels.job, 'edgewatch');
    assert.equal(alert.labels.source, 'simulated');
    assert.equal(alert.labels.device, 'sim0');
    assert.equal(alert.labels.channel, 'temp');
    assert.match(alert.fingerprint, /^[0-9a-f]{16}$/);
    assert.equal(alert.annotations.summary, 'Temperature high on sim0');
    assert.match(alert.annotations.description ?? '', /above -50 °C, for 0s\.$/);

    const history = (JSON.parse((await httpGet(`${s.webUrl}/api/alerts`)).body) as AlertsReport).history;
    assert.ok(
      history.some((c) => c.name === 'SensorTemperatureHigh' && c.state === 'firing'),
      'the firing is in the history',
    );
  });

  it('runs alerting.action-command with the alert in its environment', async () => {
    const text = await waitFor(
      `"SensorTemperatureHigh firing warning" in ${actionFile}`,
      async () => {
        const content = await readFile(actionFile, 'utf8').catch(() => '');
        return content.split('\n').includes('SensorTemperatureHigh firing warning') ? content : undefined;
      },
      5000,
    );
    assert.ok(text.endsWith('\n'));
    const metrics = await waitFor(
      'edgewatch_alert_action_runs_total{result="ok"} ≥ 1',
      async () => {
        const body = (await httpGet(`${s.webUrl}/metrics`)).body;
        return (sampleValue(body, 'edgewatch_alert_action_runs_total{result="ok"}') ?? 0) >= 1 && body;
      },
      5000,
    );
    assert.equal(sampleValue(metrics, 'edgewatch_alert_action_runs_total{result="failed"}'), 0);
    assert.ok(
      s.proc.lines.some(
        (l) => l.msg === 'alert action finished' && l.alert === 'SensorTemperatureHigh' && l.result === 'ok',
      ),
      'edgewatch logged the action run',
    );
  });

  it('counts the alert in edgewatch_alerts_active and logs the change', async () => {
    const body = (await httpGet(`${s.webUrl}/metrics`)).body;
    const active = sampleValue(body, 'edgewatch_alerts_active{severity="warning"}');
    assert.ok(
      active !== undefined && active >= 1,
      `edgewatch_alerts_active{severity="warning"} is ${active}`,
    );
    assert.ok((sampleValue(body, 'edgewatch_alert_notifications_total') ?? 0) >= 1);

    const logged = s.proc.lines.find((l) => l.msg === 'alert firing' && l.alert === 'SensorTemperatureHigh');
    assert.ok(logged, 'an "alert firing" log line');
    assert.equal(logged.level, 'warn');
    assert.equal(logged.severity, 'warning');
    assert.equal((logged.labels as Record<string, string>).device, 'sim0');
  });

  it("has vmalert write ALERTS back to VictoriaMetrics, readable through edgewatch's query proxy", async () => {
    // ALERTS is a new series too: up to another 10 s before it is searchable.
    const result = (await queryUntilPresent(
      s.webUrl,
      'ALERTS{alertname="SensorTemperatureHigh",alertstate="firing"}',
      20_000,
    )) as Array<{ metric: Record<string, string>; value: [number, string] }>;
    assert.equal(result.length, 1);
    assert.equal(result[0]?.metric.device, 'sim0');
    assert.equal(result[0]?.metric.severity, 'warning');
    assert.equal(result[0]?.value[1], '1');
  });

  it('runs the action once per state change, not once per re-send', async () => {
    // vmalert re-sends a firing alert at every (1 s) evaluation: wait for one more re-send.
    const notifications = async () =>
      sampleValue((await httpGet(`${s.webUrl}/metrics`)).body, 'edgewatch_alert_notifications_total') ?? 0;
    const before = await notifications();
    await waitFor('another notification from vmalert', async () => (await notifications()) > before, 5000);
    const lines = (await readFile(actionFile, 'utf8')).split('\n');
    assert.equal(lines.filter((l) => l.startsWith('SensorTemperatureHigh ')).length, 1, lines.join('\n'));
  });
});
