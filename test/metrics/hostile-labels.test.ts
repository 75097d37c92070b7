/**
 * Label values come from outside: chip and zone names from drivers, locations from the operator,
 * interface and mount names from the kernel, severities from alert rules, component names from
 * the supervisor. Every collector is fed names with quotes, backslashes, newlines and non-ASCII
 * text, and promtool must accept the whole /metrics body: one unescaped `"` would make every
 * series on it unreadable to VictoriaMetrics.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AlertCollector } from '../../src/alerts/alert-collector.js';
import { planBudget } from '../../src/budget/plan.js';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/log/logger.js';
import {
  createSensorService,
  type SensorService,
  sensorServiceOptions,
} from '../../src/service/sensor-service.js';
import { ComponentMemoryCollector } from '../../src/stack/component-memory.js';
import { httpGet } from '../helpers/net.js';
import { promtoolProblems } from '../helpers/promtool.js';
import { type RouteServer, serveRoutes } from '../helpers/route-server.js';
import { SysfsTree } from '../helpers/sysfs-tree.js';
import { waitFor } from '../helpers/wait.js';
import * as fixture from '../host/proc-fixture.js';

/** Each breaks the text format in its own way when not escaped; the last is plain UTF-8. */
const hostile = ['quote"d', 'back\\slash', 'new\nline', 'ünï-温度-🌡'];
const joined = hostile.join(' ');

/** mountinfo's own escaping of a path: space, tab, newline and backslash as octal. */
function mountinfoEscape(path: string): string {
  return path.replace(/[\\ \t\n]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
}

describe('every collector with hostile label values', () => {
  const sysfs = new SysfsTree();
  let proc: fixture.ProcTree;
  let dataRoot: string;
  let service: SensorService;
  let server: RouteServer;

  before(async () => {
    // Chip and zone names as the drivers would report them.
    sysfs.write('bus/iio/devices/iio:device0', { name: hostile[0]!, in_temp_input: '21500' });
    sysfs.hwmon(0, hostile[1]!, { temp1_input: '22100', humidity1_input: '51000' });
    sysfs.hwmon(1, hostile[2]!, { temp1_input: '48300' });
    sysfs.thermalZone(0, hostile[3]!, 48300);

    // The data directory on a mount whose path, device and type are all hostile.
    dataRoot = realpathSync(mkdtempSync(join(tmpdir(), 'ew-')));
    const mount = join(dataRoot, joined);
    mkdirSync(mount);
    proc = new fixture.ProcTree({
      stat: fixture.stat,
      meminfo: fixture.meminfo,
      loadavg: fixture.loadavg,
      'net/dev': fixture.netDev.replace('eth0:', 'e"t\\h0:'),
      'self/mountinfo': `22 1 179:2 / / rw - ext4 /dev/root rw\n40 22 8:1 / ${mountinfoEscape(mount)} rw - ext"4 ${mountinfoEscape(`/dev/${joined}`)} rw\n`,
      'self/limits': 'Max open files            1024                 1024                 files\n',
    });
    mkdirSync(join(proc.root, 'self', 'fd'));

    const flag = (name: string, value: string) => `--${name}=${value}`;
    const { config } = loadConfig({
      options: sensorServiceOptions,
      argv: [
        flag('paths.sysfs', sysfs.root),
        flag('paths.procfs', proc.root),
        flag('storage.path', join(mount, 'data')),
        flag('sensor.sources', 'iio,hwmon,thermal'),
        flag('sensor.location', joined),
        flag('sensor.interval', '100ms'),
      ],
      env: {},
    });
    service = await createSensorService(config, silentLogger);
    service.start();
    await waitFor('every sensor read', () =>
      [...service.statuses.values()].every((s) => s.lastSuccessMs > 0),
    );
    await waitFor('a host sample with the hostile interface', () =>
      service.registry.render().includes('node_network_receive_bytes_total{device="e'),
    );

    // The stack's collectors, on the same registry as under `edgewatch up`.
    const components = new ComponentMemoryCollector(planBudget(300 * 1024 ** 2), () =>
      hostile.map((name) => ({
        name,
        pid: undefined,
        health: 'healthy',
        uptimeSeconds: 1,
        restarts: 0,
        crashLooping: false,
        lastExit: undefined,
      })),
    );
    await components.sample();
    service.registry.register(components);
    service.registry.register(new AlertCollector(() => new Map(hostile.map((severity) => [severity, 1]))));
    for (const route of hostile) service.service.requestDuration(route).observe(0.001);

    server = await serveRoutes(service.routes({ metricsPublic: true }));
  });

  after(async () => {
    service?.stop();
    await server?.close();
    sysfs.remove();
    proc?.remove();
    if (dataRoot) rmSync(dataRoot, { recursive: true, force: true });
  });

  it('serves a /metrics body promtool accepts', async () => {
    const { status, body } = await httpGet(`${server.url}/metrics`);
    assert.equal(status, 200);
    assert.deepEqual(promtoolProblems(body), [], body);
  });

  it('keeps every hostile value, escaped, in the label it came from', async () => {
    const { body } = await httpGet(`${server.url}/metrics`);
    const escaped = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
    for (const name of hostile) {
      assert.ok(body.includes(`name="${escaped(name)}"`), `sensor_info name ${JSON.stringify(name)}`);
      assert.ok(body.includes(`component="${escaped(name)}"`), `component ${JSON.stringify(name)}`);
      assert.ok(body.includes(`severity="${escaped(name)}"`), `severity ${JSON.stringify(name)}`);
      assert.ok(body.includes(`route="${escaped(name)}"`), `route ${JSON.stringify(name)}`);
    }
    assert.ok(body.includes(`location="${escaped(joined)}"`), 'location');
    assert.ok(body.includes(`mountpoint="${escaped(join(dataRoot, joined))}"`), 'mountpoint');
    assert.ok(body.includes('fstype="ext\\"4"'), 'fstype');
    assert.ok(body.includes('device="e\\"t\\\\h0"'), 'network device');
  });
});
