/**
 * The install path of a box without a clone: `npm pack`, then `npm install -g` of the tarball,
 * offline (the package has no runtime dependencies: yaml is bundled into dist/edgewatch.cjs).
 * The tarball holds what runs (the bundle, the dashboard, rules, the systemd install) and not
 * the sources or the tests.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot } from '../helpers/edgewatch.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'edgewatch-npm-'));
const prefix = join(dir, 'prefix');
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  version: string;
  dependencies?: Record<string, string>;
};
let files: string[] = [];
let tarball = '';

before(async () => {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: repoRoot });
  const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  assert.ok(packed);
  files = packed.files.map((f) => f.path);
  tarball = join(dir, packed.filename);
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('the package holds the built JS and what it runs, not sources or tests', () => {
  for (const path of [
    'bin/edgewatch',
    'dist/edgewatch.cjs',
    'dist/dashboard/index.html',
    'rules/edgewatch.rules.yml',
    'deploy/systemd/edgewatch.service',
    'deploy/systemd/install.sh',
    'scripts/disable-packaged-vm.sh',
  ]) {
    assert.ok(files.includes(path), `${path} missing from the package`);
  }
  const unwanted = files.filter(
    (f) => /^(src|test|bench|dist\/src|dist\/test)\//.test(f) || f.endsWith('.ts'),
  );
  assert.deepEqual(unwanted, []);
  assert.deepEqual(
    manifest.dependencies ?? {},
    {},
    'runtime dependencies are bundled: install -g needs no registry',
  );
});

test('npm install -g --offline of the tarball: edgewatch --version and sensor --help run from it', async () => {
  await run('npm', ['install', '-g', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, tarball]);
  const bin = join(prefix, 'bin', 'edgewatch');
  assert.ok(existsSync(bin));
  assert.equal((await run(bin, ['--version'])).stdout.trim(), manifest.version);
  const help = await run(bin, ['sensor', '--help']);
  assert.match(help.stdout, /^Usage: edgewatch sensor \[options\]/);
  assert.match(help.stdout, /--web\.listen-address=STRING/);
  // Installed, not linked: the package lives under the prefix, away from this clone.
  assert.ok(existsSync(join(prefix, 'lib', 'node_modules', 'edgewatch', 'dist', 'edgewatch.cjs')));
});
