/**
 * No drift between the three ways to run: the settings and memory limits the committed
 * Dockerfile, docker-compose.yml and systemd unit give `edgewatch up` are those of the one table
 * (src/cli/deployments.ts) that `edgewatch render` prints, every one names a real option of
 * `edgewatch up` with a valid value, and every memory limit is a budget the plan accepts.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { minimumBudgetBytes, planBudget } from '../../src/budget/plan.js';
import { upCommand } from '../../src/cli/commands/up.js';
import {
  type Deployment,
  deploymentNamed,
  deployments,
  renderCommand,
  withComposeDefaults,
} from '../../src/cli/deployments.js';
import { loadConfig } from '../../src/config/load.js';
import { envName } from '../../src/config/option.js';
import { parseBytes } from '../../src/config/units.js';
import { edgewatchBin, repoRoot } from '../helpers/edgewatch.js';

const read = (file: string) => readFileSync(join(repoRoot, file), 'utf8');
const render = (target: string) => execFileSync(edgewatchBin, ['render', target], { encoding: 'utf8' });
type Env = Record<string, string>;

/** EDGEWATCH_* variables of the Dockerfile's ENV instructions (continuation lines joined). */
function dockerfileEnv(text: string): Env {
  const env: Env = {};
  for (const m of text.replace(/\\\n/g, ' ').matchAll(/^ENV\s+(.*)$/gm)) {
    for (const pair of (m[1] as string).trim().split(/\s+/)) {
      const [k, ...v] = pair.split('=');
      if (k?.startsWith('EDGEWATCH_')) env[k] = v.join('=');
    }
  }
  return env;
}

interface ComposeService {
  environment?: Env;
  mem_limit?: string;
  memswap_limit?: string;
}

function composeService(): ComposeService {
  const doc = parse(read('docker-compose.yml')) as { services: Record<string, ComposeService> };
  return doc.services.edgewatch as ComposeService;
}

function composeEnv(): Env {
  const all = composeService().environment ?? {};
  return Object.fromEntries(Object.entries(all).filter(([k]) => k.startsWith('EDGEWATCH_')));
}

const unitText = () => read('deploy/systemd/edgewatch.service');

function unitEnv(text: string): Env {
  const env: Env = {};
  for (const m of text.matchAll(/^Environment=(EDGEWATCH_[A-Z0-9_]+)=(.*)$/gm))
    env[m[1] as string] = m[2] as string;
  return env;
}

function fileEnv(d: Deployment): Env {
  if (d.name === 'dockerfile') return dockerfileEnv(read(d.file));
  if (d.name === 'compose') return composeEnv();
  return unitEnv(unitText());
}

const tableEnv = (d: Deployment): Env =>
  Object.fromEntries(d.settings.map((s) => [envName(s.option), s.value]));

test('each file sets exactly the EDGEWATCH_* settings of the table, no more, no fewer', () => {
  for (const d of deployments) assert.deepEqual(fileEnv(d), tableEnv(d), d.file);
});

test('every setting is an option of edgewatch up, and its value is valid there', () => {
  for (const d of deployments) {
    const env = Object.fromEntries(Object.entries(fileEnv(d)).map(([k, v]) => [k, withComposeDefaults(v)]));
    const known = new Set(upCommand.options.map(envName));
    for (const name of Object.keys(env)) assert.ok(known.has(name), `${d.file}: ${name} is no option of up`);
    // loadConfig throws CONFIG_INVALID naming the option on a bad value.
    const { config } = loadConfig({ options: upCommand.options, argv: [], env });
    for (const s of d.settings) assert.equal(config.origin(s.option), 'env', `${d.file}: ${s.option.name}`);
  }
});

test('memory limits: compose mem_limit and the unit MemoryMax= are the table, a budget the plan accepts', () => {
  const service = composeService();
  const compose = deploymentNamed('compose');
  assert.equal(parseBytes(withComposeDefaults(service.mem_limit ?? '')), compose.memoryBytes);
  assert.equal(service.memswap_limit, service.mem_limit, 'no swap beyond the limit');
  // The ceiling for the compose stack's default: 150 MB (10^6 bytes), limits summed.
  assert.ok((compose.memoryBytes as number) <= 150e6, `compose: ${compose.memoryBytes} above 150 MB`);
  const systemd = deploymentNamed('systemd');
  const memoryMax = /^MemoryMax=(.*)$/m.exec(unitText())?.[1];
  assert.equal(parseBytes(memoryMax), systemd.memoryBytes);
  assert.match(unitText(), /^MemorySwapMax=0$/m);
  for (const d of [compose, systemd]) {
    const limit = d.memoryBytes as number;
    assert.ok(limit >= minimumBudgetBytes, `${d.file}: ${limit} below the plan's minimum`);
    const plan = planBudget(limit);
    const allotted = Object.values(plan.allowances).reduce((a, b) => a + b, 0) + plan.headroomBytes;
    assert.ok(allotted <= limit, `${d.file}: allowances ${allotted} exceed the limit ${limit}`);
  }
});

test('edgewatch render prints what the committed files hold', () => {
  const unit = unitText().split('\n');
  for (const line of render('systemd').trimEnd().split('\n'))
    assert.ok(unit.includes(line), `unit lacks ${line}`);
  const rendered = parse(render('compose')) as { services: { edgewatch: ComposeService } };
  const service = composeService();
  const { environment, ...limits } = rendered.services.edgewatch;
  for (const [k, v] of Object.entries(limits)) assert.equal(service[k as keyof ComposeService], v, k);
  assert.deepEqual(environment, composeEnv());
  assert.deepEqual(dockerfileEnv(render('dockerfile')), dockerfileEnv(read('Dockerfile')));
});

test('render command: the bare-box command line resolves to the same configuration as the file', () => {
  for (const d of deployments) {
    const env = Object.fromEntries(Object.entries(fileEnv(d)).map(([k, v]) => [k, withComposeDefaults(v)]));
    if (d.name === 'compose') Object.assign(env, fileEnv(deploymentNamed('dockerfile')));
    const fromFile = loadConfig({ options: upCommand.options, argv: [], env }).config;
    const argv = renderCommand(d).split(' ').slice(2);
    const fromFlags = loadConfig({ options: upCommand.options, argv, env: {} }).config;
    for (const option of upCommand.options) {
      if (option.name === 'budget.memory') continue; // the file's limit, read from the cgroup
      assert.deepEqual(fromFlags.get(option), fromFile.get(option), `${d.file}: ${option.name}`);
    }
    if (d.memoryBytes !== undefined)
      assert.ok(argv.includes(`--budget.memory=${d.memoryBytes / 1024 ** 2}MiB`));
  }
});
