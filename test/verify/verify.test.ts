/**
 * Real `edgewatch verify` runs: the stack in a cgroup, load, the verdict, and nothing left
 * behind (cgroup, temporary storage, processes). Needs root, a writable cgroup hierarchy and
 * the `up` command; skipped with the reason otherwise.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { commands } from '../../src/cli/commands/index.js';
import { EdgewatchError } from '../../src/errors.js';
import { Cgroup } from '../../src/verify/cgroup.js';
import type { VerifyReport } from '../../src/verify/verify-report.js';

const bin = fileURLToPath(new URL('../../../bin/edgewatch', import.meta.url));

/** Why a real run is impossible here, or false. */
async function cannotRun(): Promise<string | false> {
  if (process.getuid?.() !== 0) return 'needs root to create cgroups';
  if (!commands.some((c) => c.name === 'up')) return 'the up command is not registered yet';
  try {
    await (
      await Cgroup.create({
        name: `edgewatch-test-probe-${process.pid}`,
        memoryBytes: 64 * 1024 ** 2,
        cpus: 1,
      })
    ).remove();
  } catch (err) {
    if (err instanceof EdgewatchError) return err.message;
    throw err;
  }
  return false;
}

interface Run {
  code: number | null;
  stdout: string;
  /** From verify's log: the cgroup directory and edgewatch up's command line. */
  cgroupDir: string;
  storagePath: string;
}

function verify(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['verify', '--json', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const started = stderr
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg: string; cgroup?: string; command?: string })
        .find((record) => record.msg === 'starting the stack in a cgroup');
      if (!started) {
        reject(new Error(`verify did not start the stack (exit ${code}): ${stderr}`));
        return;
      }
      const storagePath = /--storage\.path=(\S+)/.exec(started.command ?? '')?.[1] ?? '';
      resolve({ code, stdout, cgroupDir: started.cgroup ?? '', storagePath });
    });
  });
}

function assertCleanedUp(run: Run): void {
  assert.ok(run.cgroupDir !== '' && !existsSync(run.cgroupDir), `cgroup ${run.cgroupDir} removed`);
  assert.ok(run.storagePath !== '' && !existsSync(run.storagePath), `storage ${run.storagePath} removed`);
}

test('a 5 s verify of the default stack on 500 MiB and 2 CPUs passes', async (t) => {
  const reason = await cannotRun();
  if (reason) return t.skip(reason);
  const run = await verify(['--duration', '5s']);
  const report = JSON.parse(run.stdout) as VerifyReport;
  assert.equal(run.code, 0, JSON.stringify(report.checks));
  assert.equal(report.pass, true);
  assert.equal(report.limits.memoryBytes, 500 * 1024 ** 2);
  assert.ok(report.memory.workingSetBytes > 10e6, 'the stack was measured in the cgroup');
  assert.ok(report.memory.rawPeakBytes >= report.memory.workingSetBytes);
  for (const component of ['edgewatch', 'victoriametrics', 'vmalert']) {
    assert.ok((report.memory.componentPssBytes[component] ?? 0) > 1e6, `${component} PSS sampled`);
  }
  assert.ok(report.load.scrapes.ok > 100, `scrape load ran: ${report.load.scrapes.ok}`);
  assert.ok(report.load.queries.ok >= 5, `queries ran: ${report.load.queries.ok}`);
  assert.deepEqual(report.scrapeHealth.minUpByJob, { edgewatch: 1, victoriametrics: 1, vmalert: 1 });
  assertCleanedUp(run);
});

test('a box too small for the stack fails with OOM kills, and is cleaned up all the same', async (t) => {
  const reason = await cannotRun();
  if (reason) return t.skip(reason);
  // 28M: since the stored series were slimmed, the idle stack peaks at ~33 MB and 32M no longer
  // reliably OOM-kills it.
  const run = await verify(['--memory', '28M', '--duration', '3s']);
  const report = JSON.parse(run.stdout) as VerifyReport;
  assert.equal(run.code, 1);
  assert.equal(report.pass, false);
  assert.ok(report.memory.oomKills > 0, 'OOM kills were counted');
  assert.equal(report.checks.find((c) => c.name === 'oom_kills')?.pass, false);
  assertCleanedUp(run);
});
