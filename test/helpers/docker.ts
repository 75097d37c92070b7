/**
 * Runs docker and docker-compose for the deployment tests. Without a daemon the tests skip, and
 * CI fails on any skip (scripts/run-tests.mjs), so there they always run.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { repoRoot } from './edgewatch.js';

const run = promisify(execFile);

export function dockerAvailable(): boolean {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

export async function sh(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const { stdout } = await run(cmd, args, {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 600_000,
  });
  return stdout.trim();
}

/** The image the tests run: built from the local debootstrap base (scripts/docker-base.sh). */
export async function buildTestImage(tag: string, suite = 'bookworm'): Promise<void> {
  const base = await sh('sh', ['scripts/docker-base.sh', suite]);
  await sh('docker', [
    'build',
    '-q',
    '--build-arg',
    `BASE_IMAGE=${base}`,
    '--build-arg',
    `BUILD_CA_CERTS=${localCaCerts()}`,
    '-t',
    tag,
    '.',
  ]);
}

/** CAs added to this machine (an egress proxy's), for npm inside the build stage. */
function localCaCerts(): string {
  const dir = '/usr/local/share/ca-certificates';
  if (!existsSync(dir)) return '';
  return readdirSync(dir)
    .filter((name) => name.endsWith('.crt'))
    .map((name) => readFileSync(`${dir}/${name}`, 'utf8'))
    .join('\n');
}

/**
 * A box with systemd as PID 1 (test/deploy/systemd/Dockerfile): the base, Node.js from the
 * Dockerfile's `node` stage, systemd and Debian's victoria-metrics package. Layers are cached,
 * so after the first build (~40 s) this takes about a second.
 */
export async function buildSystemdImage(tag: string, suite = 'bookworm'): Promise<void> {
  const base = await sh('sh', ['scripts/docker-base.sh', suite]);
  const nodeImage = `edgewatch-node:${suite}`;
  await sh('docker', [
    'build',
    '-q',
    '--target',
    'node',
    '--build-arg',
    `BASE_IMAGE=${base}`,
    '-t',
    nodeImage,
    '.',
  ]);
  await sh('docker', [
    'build',
    '-q',
    '--build-arg',
    `NODE_IMAGE=${nodeImage}`,
    '-t',
    tag,
    '-f',
    'test/deploy/systemd/Dockerfile',
    'test/deploy/systemd',
  ]);
}

/** Runs `script` with sh inside a running container; rejects on a non-zero exit. */
export function inContainer(name: string, script: string): Promise<string> {
  return sh('docker', ['exec', name, 'sh', '-c', script]);
}
