import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load.js';
import { defineOptions, envName, type Option } from '../../src/config/option.js';
import { EdgewatchError, ErrorCode } from '../../src/errors.js';

const opts = defineOptions({
  interval: { name: 'sensor.interval', kind: 'duration', default: 5000, min: 100, description: 'd' },
  address: { name: 'web.listen-address', kind: 'string', default: '127.0.0.1:8000', description: 'd' },
  level: { name: 'log.level', kind: 'enum', allowed: ['info', 'debug'], default: 'info', description: 'd' },
  sources: {
    name: 'sensor.sources',
    kind: 'list',
    allowed: ['iio', 'auto'],
    default: ['auto'],
    description: 'd',
  },
  flag: { name: 'web.log-requests', kind: 'bool', default: false, description: 'd' },
  devices: {
    name: 'sensor.devices',
    kind: 'json',
    fileOnly: true,
    default: [] as string[],
    decode: (raw: unknown) => {
      if (!Array.isArray(raw)) throw new Error('expected a list');
      return raw.map(String);
    },
    description: 'd',
  },
});
const all: Option[] = Object.values(opts);
const dir = mkdtempSync(join(tmpdir(), 'ew-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function load(argv: string[], env: NodeJS.ProcessEnv = {}) {
  return loadConfig({ options: all, argv, env }).config;
}

function invalid(fn: () => unknown, ...fragments: string[]) {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof EdgewatchError, String(err));
    for (const fragment of fragments)
      assert.ok(err.message.includes(fragment), `"${err.message}" lacks "${fragment}"`);
    assert.equal(err.exitCode, 2);
    return true;
  });
}

describe('configuration', () => {
  it('uses defaults', () => {
    const c = load([]);
    assert.equal(c.get(opts.interval), 5000);
    assert.deepEqual(c.get(opts.sources), ['auto']);
    assert.equal(c.origin(opts.interval), 'default');
  });

  it('takes flags in both forms, and bare booleans', () => {
    const c = load(['--sensor.interval=2s', '--web.listen-address', '127.0.0.1:9', '--web.log-requests']);
    assert.equal(c.get(opts.interval), 2000);
    assert.equal(c.get(opts.address), '127.0.0.1:9');
    assert.equal(c.get(opts.flag), true);
  });

  it('orders flag over env over file over default', () => {
    const file = join(dir, 'a.yml');
    writeFileSync(file, 'sensor:\n  interval: 7s\n  sources: [iio]\nweb:\n  listen_address: 127.0.0.1:1\n');
    const env = { [envName(opts.interval)]: '3s', EDGEWATCH_CONFIG_FILE: file };
    const c = load(['--sensor.interval=1s'], env);
    assert.equal(c.get(opts.interval), 1000);
    assert.equal(c.origin(opts.interval), 'flag');
    const c2 = load([], env);
    assert.equal(c2.get(opts.interval), 3000);
    assert.equal(c2.get(opts.address), '127.0.0.1:1');
    assert.deepEqual(c2.get(opts.sources), ['iio']);
    assert.equal(c2.origin(opts.sources), 'file');
  });

  it('names the option, the value and what is allowed', () => {
    invalid(() => load(['--sensor.interval=soon']), '--sensor.interval', '"soon"', 'duration');
    invalid(() => load(['--sensor.interval=10ms']), '--sensor.interval', 'at least 100ms');
    invalid(() => load([], { EDGEWATCH_LOG_LEVEL: 'loud' }), 'EDGEWATCH_LOG_LEVEL', '"loud"', 'info, debug');
    invalid(() => load(['--sensor.sources=iio,gps']), '"gps"', 'iio, auto');
  });

  it('rejects unknown flags with a suggestion', () => {
    assert.throws(
      () => load(['--sensor.intervall=1s']),
      (err: unknown) =>
        err instanceof EdgewatchError &&
        err.code === ErrorCode.USAGE &&
        err.message.includes('--sensor.interval'),
    );
  });

  it('rejects unknown keys and bad values in the file, naming the file', () => {
    const file = join(dir, 'b.yml');
    writeFileSync(file, 'sensor:\n  intervall: 7s\n');
    invalid(() => load(['--config.file', file]), 'sensor.intervall', file, 'did you mean sensor.interval');
    writeFileSync(file, 'sensor:\n  interval: often\n');
    invalid(() => load(['--config.file', file]), 'sensor.interval in', file, '"often"');
    writeFileSync(file, 'sensor: [unclosed\n');
    invalid(() => load(['--config.file', file]), 'cannot parse config file');
  });

  it('keeps structured options in the file only', () => {
    const file = join(dir, 'c.yml');
    writeFileSync(file, 'sensor:\n  devices: [a, b]\n');
    assert.deepEqual(load(['--config.file', file]).get(opts.devices), ['a', 'b']);
    assert.throws(() => load(['--sensor.devices=[]']), /config file/);
    writeFileSync(file, 'sensor:\n  devices: 5\n');
    invalid(() => load(['--config.file', file]), 'expected a list');
  });
});
