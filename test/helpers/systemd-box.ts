/**
 * A container whose PID 1 is systemd (machine.md, "Containers and systemd"), as the deployment
 * tests use it: the image test/deploy/systemd/Dockerfile builds, with Debian's victoria-metrics
 * package installed and its own service enabled, as on a real box.
 */
import assert from 'node:assert/strict';
import type { StackReportJson } from '../../src/api/types.js';
import { inContainer, sh } from './docker.js';
import { waitFor } from './wait.js';

export interface SystemdBox {
  readonly name: string;
  /** Runs `script` with sh in the box; rejects on a non-zero exit. */
  run(script: string): Promise<string>;
  /** `systemctl show -p PROPERTY --value UNIT`. */
  show(unit: string, property: string): Promise<string>;
  /** `systemctl is-active` / `is-enabled`: the state (they exit non-zero for most states). */
  state(verb: 'is-active' | 'is-enabled', unit: string): Promise<string>;
  /** GET /api/stack of the edgewatch on the box's 127.0.0.1:8000. */
  stackReport(): Promise<StackReportJson>;
  /** The report once edgewatch answers and every component is healthy. */
  healthyStack(what: string, timeoutMs?: number): Promise<StackReportJson>;
  /** Until systemd has booted the box (after `docker run` or `docker restart`). */
  booted(): Promise<void>;
  /** The box reboots: `docker restart` (systemd stops its units), then booted(). */
  restart(): Promise<void>;
  remove(): Promise<void>;
}

/** Starts the box (`docker run -d`) and waits until systemd is running. */
export async function startSystemdBox(
  image: string,
  name: string,
  extraArgs: readonly string[] = [],
): Promise<SystemdBox> {
  const run = (script: string) => inContainer(name, script);
  const state = (verb: 'is-active' | 'is-enabled', unit: string) => run(`systemctl ${verb} ${unit} || true`);
  const stackReport = async () =>
    JSON.parse(await run('wget -q -O - http://127.0.0.1:8000/api/stack')) as StackReportJson;
  const box: SystemdBox = {
    name,
    run,
    show: (unit, property) => run(`systemctl show -p ${property} --value ${unit}`),
    state,
    stackReport,
    healthyStack: (what, timeoutMs = 90_000) =>
      waitFor(
        what,
        async () => {
          const report = await stackReport();
          return report.components.every((c) => c.health === 'healthy') && report;
        },
        timeoutMs,
        500,
      ),
    async booted() {
      await waitFor(
        'systemd running',
        async () => (await state('is-active', 'multi-user.target')) === 'active',
        60_000,
        250,
      );
      assert.equal(await run('systemctl is-system-running || true'), 'running');
    },
    async restart() {
      await sh('docker', ['restart', '-t', '30', name]);
      await box.booted();
    },
    remove: () => sh('docker', ['rm', '-f', name]).then(() => undefined),
  };
  await sh('docker', [
    'run',
    '-d',
    '--name',
    name,
    '--cap-add',
    'SYS_ADMIN',
    '--security-opt',
    'seccomp=unconfined',
    '-v',
    '/sys/fs/cgroup:/sys/fs/cgroup:ro',
    '--tmpfs',
    '/run',
    '--tmpfs',
    '/run/lock',
    ...extraArgs,
    image,
  ]);
  await box.booted();
  return box;
}
