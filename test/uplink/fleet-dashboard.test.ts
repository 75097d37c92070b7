/**
 * The fleet dashboard against a central fed by simulated boxes: three real `edgewatch up` at two
 * sites, each with remote_write to the test central (single-node VictoriaMetrics behind vmauth)
 * and its device: labels, on edgewatch's default uplink.jobs (what a real box sends). Every query
 * of deploy/central/grafana/dashboards/fleet.json, its variables substituted as Grafana would,
 * returns data from the central, and the variables narrow it to a site.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dashboardStackFlags } from '../dashboard/harness.js';
import { type Box, boxDir, removeBoxDir, startBox } from '../helpers/box.js';
import { type Central, startCentral } from '../helpers/central.js';
import { repoRoot } from '../helpers/edgewatch.js';
import { SysfsTree } from '../helpers/sysfs-tree.js';
import { waitFor } from '../helpers/wait.js';

interface Target {
  expr: string;
  instant?: boolean;
}
interface FleetExport {
  panels: Array<{ title: string; targets?: Target[] }>;
  templating: { list: Array<{ name: string; type: string; definition?: string }> };
}

const fleet = JSON.parse(
  readFileSync(join(repoRoot, 'deploy', 'central', 'grafana', 'dashboards', 'fleet.json'), 'utf8'),
) as FleetExport;

const IDENTITIES = [
  { site: 'site-a', device: 'box-1' },
  { site: 'site-a', device: 'box-2' },
  { site: 'site-b', device: 'box-3' },
];

/** Grafana's variables as a Grafana with `site` chosen (or All) would send them. */
function substitute(expr: string, site = '.*'): string {
  return expr
    .replace(/\$__rate_interval|\$\{__rate_interval\}/g, '1m')
    .replace(/\$\{?site\}?/g, site)
    .replace(/\$\{?device\}?/g, '.*');
}

interface Result {
  metric: Record<string, string>;
  value?: [number, string];
  values?: Array<[number, string]>;
}

async function query(vmUrl: string, expr: string, instant: boolean): Promise<Result[]> {
  const end = Math.floor(Date.now() / 1000);
  const params = instant
    ? new URLSearchParams({ query: expr, time: String(end) })
    : new URLSearchParams({ query: expr, start: String(end - 120), end: String(end), step: '5' });
  const res = await fetch(`${vmUrl}/api/v1/${instant ? 'query' : 'query_range'}?${params}`);
  const body = (await res.json()) as { status: string; error?: string; data?: { result: Result[] } };
  if (body.status !== 'success') throw new Error(`${expr}: ${body.error ?? res.status}`);
  return body.data?.result ?? [];
}

const targets = fleet.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, ...t })));

async function labelValues(vmUrl: string, definition: string, site = '.*'): Promise<string[]> {
  const m = /^label_values\((.+),\s*(\w+)\)$/.exec(definition.trim());
  assert.ok(m, `unexpected variable query ${definition}`);
  const params = new URLSearchParams({ 'match[]': substitute(m[1] as string, site) });
  const res = await fetch(`${vmUrl}/api/v1/label/${m[2]}/values?${params}`);
  return ((await res.json()) as { data: string[] }).data;
}

describe('fleet dashboard against a central fed by three boxes', { timeout: 150_000 }, () => {
  let central: Central;
  const boxes: Box[] = [];
  const dirs: string[] = [];
  // A BME280 (pressure, which the simulated sensor lacks) and a firing alert on every box.
  const sysfs = new SysfsTree();
  sysfs.bme280(0);

  before(async () => {
    central = await startCentral();
    for (const device of IDENTITIES) {
      const dir = await boxDir();
      dirs.push(dir);
      boxes.push(await startBox(central, dir, dashboardStackFlags(sysfs.root), { device, jobs: 'default' }));
    }
  });
  after(async () => {
    for (const box of boxes) await box.stop();
    await central?.stop();
    for (const dir of dirs) await removeBoxDir(dir);
    sysfs.remove();
  });

  it('answers every query with data, and the site variable narrows it', async (t) => {
    assert.ok(targets.length >= 15, `${targets.length} queries`);
    // The boxes' own state (uplink, alerts) reaches the central through the uplink it describes:
    // a scrape after vmagent's first poll. Wait until every query has something.
    let missing: string[] = [];
    await waitFor(
      'every fleet query to return data',
      async () => {
        missing = [];
        for (const target of targets) {
          const result = await query(central.vmUrl, substitute(target.expr), target.instant === true);
          if (result.length === 0) missing.push(`${target.panel}: ${target.expr}`);
        }
        return missing.length === 0;
      },
      90_000,
      1000,
    ).catch(() => assert.fail(`no data at the central for:\n${missing.join('\n')}`));

    const reporting = targets.find((x) => x.panel === 'Devices reporting') as Target;
    const count = async (site: string) =>
      Number((await query(central.vmUrl, substitute(reporting.expr, site), true))[0]?.value?.[1]);
    assert.equal(await count('.*'), 3);
    assert.equal(await count('site-b'), 1);

    const ages = await query(
      central.vmUrl,
      substitute(targets.find((x) => x.panel === 'Last sample age per device')?.expr ?? ''),
      true,
    );
    assert.deepEqual(ages.map((r) => r.metric.device).sort(), ['box-1', 'box-2', 'box-3']);
    for (const r of ages)
      assert.ok(Number(r.value?.[1]) < 60, `${r.metric.device} seen lately: ${r.value?.[1]} s`);

    const firing = targets.find((x) => x.panel === 'Alerts firing') as Target;
    await waitFor(
      "the boxes' firing alerts at the central",
      async () => Number((await query(central.vmUrl, substitute(firing.expr), true))[0]?.value?.[1]) >= 3,
      30_000,
      500,
    );

    const readings = targets.find((x) => x.panel === 'Temperature by site') as Target;
    const sites = (await query(central.vmUrl, substitute(readings.expr), false)).map((r) => r.metric.site);
    assert.deepEqual(sites.sort(), ['site-a', 'site-b']);

    const vars = Object.fromEntries(fleet.templating.list.map((v) => [v.name, v.definition ?? '']));
    assert.deepEqual((await labelValues(central.vmUrl, vars.site ?? '')).sort(), ['site-a', 'site-b']);
    assert.deepEqual(await labelValues(central.vmUrl, vars.device ?? '', 'site-a'), ['box-1', 'box-2']);
    t.diagnostic(`${targets.length} queries of ${fleet.panels.length} panels answered by the central`);
  });
});
