/** The README documents what the code does: every option, every metric. */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { commands } from '../../src/cli/commands/index.js';
import { optionsReference, withReference } from '../../src/cli/reference.js';
import { loadConfig } from '../../src/config/load.js';
import { repoRoot } from '../helpers/edgewatch.js';

const readme = readFileSync(`${repoRoot}README.md`, 'utf8');

describe('README', () => {
  it('has the configuration reference of the current options (run npm run docs)', () => {
    assert.equal(withReference(readme, optionsReference(commands)), readme);
  });

  it('shows a config file example that edgewatch accepts as it stands', () => {
    const example = /```yaml\n(# edgewatch\.yml\n[\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(example, 'README has a ```yaml block starting with # edgewatch.yml');
    const dir = mkdtempSync(join(tmpdir(), 'ew-readme-'));
    try {
      const file = join(dir, 'edgewatch.yml');
      writeFileSync(file, example);
      const up = commands.find((c) => c.name === 'up')!;
      const { config } = loadConfig({ options: up.options, argv: ['--config.file', file], env: {} });
      assert.equal(config.origin(up.options.find((o) => o.name === 'sensor.devices')!), 'file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names every metric family edgewatch can export', () => {
    // Every source file: collectors live next to their domains, so no folder list can go stale.
    const names = new Set<string>();
    for (const file of readdir(`${repoRoot}src`)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(
        /name: [`']((?:sensor|node|process|nodejs|edgewatch)_[a-zA-Z0-9_${}]+)[`']/g,
      )) {
        names.add(m[1] as string);
      }
    }
    assert.ok(names.size > 20, `found ${names.size} metric names in the sources`);
    const missing = [...names].filter((n) => !n.includes('${') && !readme.includes(n));
    assert.deepEqual(missing, [], 'metrics missing from the README metrics reference');
  });
});

/** Every .ts file under `dir`, recursively. */
function readdir(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return readdir(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}
