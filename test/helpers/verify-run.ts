/**
 * Real `edgewatch verify` runs for tests: why one cannot run here, the run with its output and
 * what it left behind.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { commands } from '../../src/cli/commands/index.js';
import { EdgewatchError } from '../../src/errors.js';
import { Cgroup } from '../../src/verify/cgroup.js';

const bin = fileURLToPath(new URL('../../../bin/edgewatch', import.meta.url));

/** Why a real run is impossible here, or false. */
export async function cannotRun(): Promise<string | false> {
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

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** From verify's log: the cgroup directory and edgewatch up's command line. */
  cgroupDir: string;
  storagePath: string;
}

export function verify(args: string[]): Promise<Run> {
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
      resolve({ code, stdout, stderr, cgroupDir: started.cgroup ?? '', storagePath });
    });
  });
}

export function assertCleanedUp(run: Run): void {
  assert.ok(run.cgroupDir !== '' && !existsSync(run.cgroupDir), `cgroup ${run.cgroupDir} removed`);
  assert.ok(run.storagePath !== '' && !existsSync(run.storagePath), `storage ${run.storagePath} removed`);
}
