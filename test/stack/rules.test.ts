/** The shipped rules template, rendered, must pass both promtool and vmalert's own validation. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import type { NumberOption } from '../../src/config/option.js';
import { readRulesTemplate, renderRules, ruleOptions } from '../../src/stack/rules.js';

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const defaults = new Map<NumberOption, number>(Object.values(ruleOptions).map((o) => [o, o.default]));

describe('alerting rules', { timeout: 30_000 }, () => {
  let dir: string;
  let file: string;
  let rendered: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'edgewatch-rules-'));
    rendered = renderRules(readRulesTemplate(), defaults);
    file = join(dir, 'edgewatch.rules.yml');
    await writeFile(file, rendered);
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('pass promtool check rules', () => {
    const r = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
    assert.equal(r.error, undefined, 'promtool is installed (Debian package prometheus)');
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /SUCCESS: 17 rules found/);
  });

  it('pass vmalert -dryRun', () => {
    const r = spawnSync('vmalert', ['-dryRun', `-rule=${file}`, '-loggerLevel=ERROR'], { encoding: 'utf8' });
    assert.equal(r.error, undefined, 'vmalert is installed (Debian package victoria-metrics)');
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  });

  it('give every alert a for:, a severity, a summary and a description', () => {
    const groups = (parse(rendered) as { groups: Array<{ name: string; rules: Rule[] }> }).groups;
    const rules = groups.flatMap((g) => g.rules);
    assert.ok(rules.length > 0);
    for (const rule of rules) {
      assert.match(rule.for ?? '', /^\d+[smh]$/, `${rule.alert} has for:`);
      assert.ok(['warning', 'critical'].includes(rule.labels?.severity ?? ''), `${rule.alert} severity`);
      assert.ok(rule.annotations?.summary && rule.annotations.description, `${rule.alert} annotations`);
    }
  });

  it('put the configured thresholds into the expressions and descriptions', () => {
    const custom = new Map(defaults);
    custom.set(ruleOptions.temperatureHigh, 35.5);
    custom.set(ruleOptions.temperatureLow, -5);
    custom.set(ruleOptions.humidityHigh, 0.85);
    custom.set(ruleOptions.diskFreeLow, 0.05);
    custom.set(ruleOptions.thresholdFor, 90_000);
    const text = renderRules(readRulesTemplate(), custom);
    assert.match(text, /sensor_temperature_celsius\{source!="thermal"\} > 35\.5\n/);
    assert.match(text, /above 35\.5 °C, for 90s/);
    assert.equal(
      text.match(/ for: 90s\n/g)?.length,
      4,
      'the four threshold rules wait alerting.threshold-for',
    );
    assert.match(text, /sensor_temperature_celsius\{source!="thermal"\} < -5\n/);
    assert.match(text, /sensor_humidity_ratio > 0\.85\n/);
    assert.match(text, /node_filesystem_size_bytes < 0\.05\n/);
    const code = rendered.split('\n').filter((line) => !line.trimStart().startsWith('#'));
    assert.deepEqual(
      code.filter((line) => line.includes('$' + '{')),
      [],
      'no placeholder left outside comments',
    );
  });

  it('refuse a placeholder that names no option', () => {
    assert.throws(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a placeholder of the rules template, not JavaScript's
      () => renderRules('expr: x > ${alerting.temprature-high}', defaults),
      /unknown placeholder/,
    );
  });
});
