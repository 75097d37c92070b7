/** `bin/edgewatch sensor` as users run it: a real process, real sockets, a fake sysfs tree. */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { sensorCommand } from '../../src/cli/commands/sensor.js';
import { envName, flagName } from '../../src/config/option.js';
import { EdgewatchProcess, runEdgewatch } from '../helpers/edgewatch.js';
import { freePort, httpGet } from '../helpers/net.js';
import { promtoolProblems } from '../helpers/promtool.js';
import { RawHttpClient } from '../helpers/raw-http.js';
import { SysfsTree } from '../helpers/sysfs-tree.js';
import { waitFor } from '../helpers/wait.js';

describe('edgewatch sensor', () => {
  const sysfs = new SysfsTree().typicalBox();
  let proc: EdgewatchProcess;
  let base: string;
  let port: number;

  before(async () => {
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    proc = new EdgewatchProcess([
      'sensor',
      `--web.listen-address=127.0.0.1:${port}`,
      `--paths.sysfs=${sysfs.root}`,
      `--storage.path=${sysfs.root}`,
      '--sensor.interval=200ms',
      '--sensor.stale-after=1s',
      '--sensor.read-timeout=100ms',
    ]);
    await proc.waitForLog((l) => l.msg === 'listening');
  });
  after(async () => {
    await proc.stop();
    sysfs.remove();
  });

  it('logs JSON lines: start, each sensor discovered, the listen address', () => {
    assert.ok(proc.lines.some((l) => l.msg === 'starting'));
    const discovered = proc.lines
      .filter((l) => l.msg === 'sensor discovered')
      .map((l) => `${l.source}/${l.device}`);
    assert.deepEqual(discovered.sort(), [
      'hwmon/hwmon0',
      'hwmon/hwmon1',
      'iio/iio:device0',
      'thermal/thermal_zone0',
    ]);
    assert.ok(proc.lines.some((l) => l.msg === 'listening' && l.address === `127.0.0.1:${port}`));
    assert.ok(!proc.lines.some((l) => l.msg === 'request'), 'no line per request by default');
  });

  it('answers /healthz and /readyz', async () => {
    assert.equal((await httpGet(`${base}/healthz`)).status, 200);
    await waitFor('ready', async () => (await httpGet(`${base}/readyz`)).status === 200, 5000);
  });

  it('serves readings in base units under Prometheus names', async () => {
    const { status, headers, body } = await httpGet(`${base}/metrics`);
    assert.equal(status, 200);
    assert.equal(headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    const lines = body.split('\n');
    assert.ok(
      lines.includes(
        'sensor_temperature_celsius{source="iio",device="iio:device0",channel="temp",location=""} 21.5',
      ),
    );
    assert.ok(
      lines.includes(
        'sensor_humidity_ratio{source="iio",device="iio:device0",channel="humidityrelative",location=""} 0.4525',
      ),
    );
    assert.ok(
      lines.includes(
        'sensor_pressure_pascals{source="iio",device="iio:device0",channel="pressure",location=""} 101325',
      ),
    );
    for (const name of ['sensor_scrape_errors_total 0', 'sensor_queue_depth ', 'sensor_memory_bytes ']) {
      assert.ok(
        lines.some((l) => l.startsWith(name)),
        name,
      );
    }
    assert.ok(lines.some((l) => l.startsWith('node_cpu_seconds_total{cpu="0",mode="idle"}')));
    assert.ok(body.length <= 8192, `/metrics is ${body.length} bytes for 4 sensors`);
  });

  it('passes promtool check metrics with nothing to report', async () => {
    await httpGet(`${base}/sensor`); // a second route in the request histogram
    const { body } = await httpGet(`${base}/metrics`);
    assert.deepEqual(promtoolProblems(body), []);
  });

  it('speaks OpenMetrics when asked and gzip when asked', async () => {
    const client = await RawHttpClient.connect(port);
    const om = await client.request(
      '/metrics',
      'Accept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5\r\n',
    );
    assert.match(om.headers, /content-type: application\/openmetrics-text; version=1.0.0/i);
    assert.ok(om.body.toString().endsWith('# EOF\n'));
    assert.match(om.body.toString(), /^# TYPE sensor_read_errors counter$/m);
    const gz = await client.request('/metrics', 'Accept-Encoding: gzip\r\n');
    assert.match(gz.headers, /content-encoding: gzip/i);
    assert.match(gunzipSync(gz.body).toString(), /^sensor_up\{/m);
    client.close();
  });

  it('serves /sensor as small JSON with units, identity and age', async () => {
    const { headers, body } = await httpGet(`${base}/sensor`);
    assert.match(headers.get('content-type') ?? '', /application\/json/);
    assert.ok(body.length < 1024, `${body.length} bytes`);
    const report = JSON.parse(body);
    assert.equal(report.status, 'ok');
    const bme = report.sensors.find((s: { id: string }) => s.id === 'iio/iio:device0');
    assert.deepEqual(bme.values, {
      temp_celsius: 21.5,
      humidityrelative_ratio: 0.4525,
      pressure_pascals: 101325,
    });
    assert.equal(bme.state, 'ok');
    assert.ok(bme.age_seconds >= 0 && bme.age_seconds < 1);
  });

  it('answers unknown paths with 404 and wrong methods with 405, in JSON', async () => {
    const missing = await httpGet(`${base}/nope`);
    assert.equal(missing.status, 404);
    assert.equal(JSON.parse(missing.body).error, 'not_found');
    const wrong = await httpGet(`${base}/metrics`, { method: 'POST' });
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'GET, HEAD');
  });

  it('keeps connections alive and bounds header size', async () => {
    const client = await RawHttpClient.connect(port);
    for (let i = 0; i < 5; i++) assert.equal((await client.request('/healthz')).status, 200);
    client.close();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${base}/healthz`, { headers: { 'x-big': 'a'.repeat(16_000) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 431);
  });

  it('reports a lost sensor as failing, then stale, and drops its readings', async () => {
    rmSync(`${sysfs.root}/class/hwmon/hwmon0`, { recursive: true });
    await proc.waitForLog((l) => l.msg === 'sensor lost' && l.device === 'hwmon0', 3000);
    await waitFor(
      'stale',
      async () => {
        const report = JSON.parse((await httpGet(`${base}/sensor`)).body);
        return (
          report.sensors.find((s: { id: string }) => s.id === 'hwmon/hwmon0').state === 'stale' && report
        );
      },
      5000,
    );
    const { body } = await httpGet(`${base}/metrics`);
    assert.ok(body.includes('sensor_up{source="hwmon",device="hwmon0",location=""} 0'));
    assert.ok(!body.includes('device="hwmon0",channel='), 'no reading series for a stale sensor');
    assert.match(body, /sensor_read_errors_total\{source="hwmon",device="hwmon0",location=""\} [1-9]/);
  });
});

describe('edgewatch sensor lifecycle', () => {
  it('exits 0 within 2 s of SIGTERM', async () => {
    const sysfs = new SysfsTree();
    const port = await freePort();
    const proc = new EdgewatchProcess([
      'sensor',
      `--web.listen-address=127.0.0.1:${port}`,
      `--paths.sysfs=${sysfs.root}`,
    ]);
    await proc.waitForLog((l) => l.msg === 'listening');
    // An idle keep-alive connection must not hold shutdown up.
    const client = await RawHttpClient.connect(port);
    await client.request('/healthz');
    const started = Date.now();
    proc.child.kill('SIGTERM');
    const { code } = await proc.exited;
    client.close();
    sysfs.remove();
    assert.equal(code, 0);
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
    assert.ok(proc.lines.some((l) => l.msg === 'shutting down' && l.signal === 'SIGTERM'));
  });

  it('stops with exit code 2 and names the option, the value and what is allowed', async () => {
    const result = await runEdgewatch(['sensor', '--sensor.interval=fast']);
    assert.equal(result.code, 2);
    const error = result.lines.find((l) => l.level === 'error');
    assert.equal(error?.code, 'EW_CONFIG_INVALID');
    assert.match(
      error?.msg ?? '',
      /^invalid value "fast" for --sensor\.interval: expected a duration such as 500ms, 5s/,
    );
    const env = await runEdgewatch(['sensor'], { EDGEWATCH_WEB_MAX_HEADER_SIZE: '1' });
    assert.equal(env.code, 2);
    assert.match(
      env.lines.find((l) => l.level === 'error')?.msg ?? '',
      /EDGEWATCH_WEB_MAX_HEADER_SIZE.*at least 1KiB/,
    );
  });

  it('refuses to listen beyond loopback without credentials', async () => {
    const result = await runEdgewatch(['sensor', '--web.listen-address=0.0.0.0:0']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /refusing to listen on 0\.0\.0\.0:0/);
  });

  it('prints every option with its unit, default and environment variable in --help', async () => {
    const result = await runEdgewatch(['sensor', '--help']);
    assert.equal(result.code, 0);
    const text = result.stdout.replace(/\s+/g, ' ');
    for (const option of sensorCommand.options) {
      assert.ok(
        text.includes(option.fileOnly ? option.name.replace(/-/g, '_') : flagName(option)),
        option.name,
      );
      if (!option.fileOnly) assert.ok(text.includes(envName(option)), envName(option));
      if (option.unit) assert.ok(text.includes(`Unit: ${option.unit}.`), option.name);
      assert.ok(text.includes('Default: '), option.name);
    }
    assert.match(text, /--sensor\.interval=DURATION [^-]*Default: 5s\./);
    const main = await runEdgewatch(['--help']);
    assert.equal(main.code, 0);
    assert.match(main.stdout, /sensor\s+Run the sensor service alone/);
  });
});
