/**
 * Static checks of the deployment files, with the tools their users have: systemd-analyze for
 * the unit, shellcheck for every shell script (the install path runs them as root on a box).
 * docker-compose config is checked in compose.test.ts, with the daemon.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/edgewatch.js';

function has(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Runs the tool; resolves with its output, rejects with it (stdout and stderr) on a non-zero exit. */
function check(tool: string, args: readonly string[]): string {
  try {
    return execFileSync(tool, args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    assert.fail(`${tool} ${args.join(' ')}:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

const shellScripts = [
  ...['scripts', 'deploy/systemd']
    .flatMap((dir) => readdirSync(join(repoRoot, dir)).map((f) => `${dir}/${f}`))
    .filter((f) => f.endsWith('.sh')),
  'bin/edgewatch',
  '.ci/run',
];

test('the systemd unit passes systemd-analyze verify', {
  skip: has('systemd-analyze') ? false : 'no systemd-analyze (CI installs systemd: .ci/run)',
}, () => {
  check('systemd-analyze', ['verify', 'deploy/systemd/edgewatch.service']);
});

test('every shell script passes shellcheck', {
  skip: has('shellcheck') ? false : 'no shellcheck (CI installs it: .ci/run)',
}, () => {
  assert.ok(shellScripts.includes('deploy/systemd/install.sh'));
  check('shellcheck', shellScripts);
});
