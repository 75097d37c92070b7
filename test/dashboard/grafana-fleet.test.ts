/**
 * The shipped fleet dashboard (deploy/central/grafana/dashboards/fleet.json) is the one
 * dashboard/src/grafana-fleet.ts builds (the build writes dist/dashboard/grafana-fleet.json), it
 * takes its data source from a variable and `__inputs`, and deploy/central's Grafana provisions
 * it from where the compose file mounts it. Its queries return data from a central fed by real
 * boxes: test/uplink/fleet-dashboard.test.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { repoRoot } from '../helpers/edgewatch.js';
import { dashboardDist } from './harness.js';

const central = join(repoRoot, 'deploy', 'central');
const shippedPath = join(central, 'grafana', 'dashboards', 'fleet.json');
const shippedText = readFileSync(shippedPath, 'utf8');
const shipped = JSON.parse(shippedText) as {
  __inputs: Array<{ name: string; type: string; pluginId: string }>;
  panels: Array<{
    title: string;
    datasource?: { uid?: string };
    targets?: Array<{ expr: string; datasource?: { uid?: string } }>;
  }>;
  templating: { list: Array<{ name: string; type: string; query?: unknown }> };
};
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's ${name} variable syntax
const dsVariable = '${datasource}';

describe('fleet Grafana dashboard', () => {
  test('the shipped file is what grafana-fleet.ts builds', () => {
    assert.equal(
      shippedText,
      readFileSync(join(dashboardDist, 'grafana-fleet.json'), 'utf8'),
      `deploy/central/grafana/dashboards/fleet.json is stale: cp dist/dashboard/grafana-fleet.json ${shippedPath}`,
    );
  });

  test('the data source is a variable, offered to an import through __inputs; site and device variables', () => {
    assert.deepEqual(
      shipped.__inputs.map((i) => [i.type, i.pluginId]),
      [['datasource', 'prometheus']],
    );
    assert.deepEqual(
      shipped.templating.list.map((v) => v.name),
      ['datasource', 'site', 'device'],
    );
    for (const panel of shipped.panels) {
      assert.equal(panel.datasource?.uid, dsVariable, panel.title);
      for (const t of panel.targets ?? []) {
        assert.equal(t.datasource?.uid, dsVariable, panel.title);
        // Every series the central holds is some box's: every query is narrowed by both variables.
        assert.match(t.expr, /site=~"\$site", device=~"\$device"/, `${panel.title}: ${t.expr}`);
      }
    }
    assert.doesNotMatch(shippedText, /ALERTS/, 'vmalert ALERTS never reach the central');
    assert.doesNotMatch(
      shippedText,
      /fleet-vm|vmselect:|127\.0\.0\.1|8481/,
      'no data source by name or address',
    );
  });

  test("deploy/central's Grafana provisions it from where the compose file mounts it", () => {
    const compose = parse(readFileSync(join(central, 'docker-compose.yml'), 'utf8')) as {
      services: { grafana: { volumes: string[] } };
    };
    const provider = parse(
      readFileSync(join(central, 'grafana', 'provisioning', 'dashboards', 'fleet.yaml'), 'utf8'),
    ) as { providers: Array<{ options: { path: string } }> };
    const path = provider.providers[0]?.options.path;
    assert.ok(
      compose.services.grafana.volumes.includes(`./grafana/dashboards:${path}:ro`),
      `grafana mounts ./grafana/dashboards at ${path}`,
    );
  });
});
