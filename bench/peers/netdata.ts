/**
 * Netdata from Debian (1.37 on Debian 12), the peer the flash and idle benchmarks compare
 * against: at its defaults (dbengine, per-second collection, its plugins), with its cache, lib
 * and log directories in `dir`, listening on 127.0.0.1 only, telemetry off.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../src/net/free-port.js';
import { waitFor } from '../../test/helpers/wait.js';
import { processTree } from '../lib/stack-run.js';

export const NETDATA = '/usr/sbin/netdata';

export interface RunningNetdata {
  readonly pid: number;
  /** Netdata and its plugins now. */
  pids(): number[];
  stop(): Promise<void>;
}

export function netdataAvailable(): boolean {
  return existsSync(NETDATA);
}

export function netdataVersion(): string {
  try {
    return execFileSync(NETDATA, ['-v'], { encoding: 'utf8' }).trim();
  } catch {
    return 'netdata';
  }
}

export async function startNetdata(dir: string): Promise<RunningNetdata> {
  const port = await freePort();
  const dirs = ['cache', 'lib', 'log', 'run'].map((d) => join(dir, d));
  const uid = idOf('-u');
  const gid = idOf('-g');
  for (const d of [dir, ...dirs]) {
    mkdirSync(d, { recursive: true });
    chownSync(d, uid, gid);
  }
  const config = join(dir, 'netdata.conf');
  writeFileSync(
    config,
    [
      '[global]',
      '  run as user = netdata',
      `  cache directory = ${dirs[0]}`,
      `  lib directory = ${dirs[1]}`,
      `  log directory = ${dirs[2]}`,
      '[web]',
      `  bind to = 127.0.0.1:${port}`,
      '[registry]',
      '  enabled = no',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(
    NETDATA,
    ['-D', '-c', config, '-P', join(dirs[3] as string, 'netdata.pid')],
    {
      env: { ...process.env, DO_NOT_TRACK: '1' },
      stdio: 'ignore',
    },
  );
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const plugins = processTree(child.pid as number).slice(1);
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
    // Plugins normally exit with it; make sure none is left to keep the mount busy.
    for (const pid of plugins) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone.
      }
    }
  };
  try {
    await waitFor(
      'netdata answering',
      async () => (await fetch(`http://127.0.0.1:${port}/api/v1/info`)).ok,
      60_000,
      500,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { pid: child.pid as number, pids: () => processTree(child.pid as number), stop };
}

/** The Debian package's netdata user (it drops root to it), or root when there is none. */
function idOf(flag: '-u' | '-g'): number {
  try {
    return Number(execFileSync('id', [flag, 'netdata'], { encoding: 'utf8' }).trim());
  } catch {
    return 0;
  }
}
