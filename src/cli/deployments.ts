/**
 * One table of what each way of running gives `edgewatch up` beyond its defaults: the container
 * (Dockerfile ENV, docker-compose.yml) and the systemd unit. `edgewatch render` prints it in each
 * file's syntax and as the equivalent command line; test/deploy/drift.test.ts proves the committed
 * files say the same, so a flag added to one of them and not here (or misspelt) fails the build.
 * Settings go through the environment everywhere: an operator overrides them with a flag, and
 * every option has one (src/config/option.ts, envName).
 */
import { commonOptions } from '../config/common-options.js';
import { envName, flagName, type Option } from '../config/option.js';
import { formatBytes } from '../config/units.js';
import { authOptions } from '../http/auth.js';
import { webOptions } from '../http/options.js';
import { sensorSourceOptions } from '../sensor/discovery.js';

const MiB = 1024 ** 2;

/** An option the deployment sets, with its value as written in the file. */
export interface Setting {
  readonly option: Option;
  /** May use compose's `${VAR:-default}` interpolation (compose only). */
  readonly value: string;
}

export interface Deployment {
  readonly name: 'dockerfile' | 'compose' | 'systemd';
  /** The file it lives in, relative to the package root. */
  readonly file: string;
  readonly settings: readonly Setting[];
  /**
   * The memory limit the container or unit gets (compose mem_limit, systemd MemoryMax=). With
   * budget.memory unset it is the budget (src/budget/memory-budget.ts), so it must be one the
   * plan accepts. Undefined: the file sets none (the Dockerfile; limits are the runner's).
   */
  readonly memoryBytes?: number;
}

export const dataDir = '/var/lib/edgewatch';

export const deployments: readonly Deployment[] = [
  {
    name: 'dockerfile',
    file: 'Dockerfile',
    settings: [
      { option: commonOptions.dataPath, value: dataDir },
      // The container's interface, so a published port reaches it; compose publishes it on the
      // host's loopback only. edgewatch refuses a non-loopback address without credentials.
      { option: webOptions.listenAddress, value: '0.0.0.0:8000' },
    ],
  },
  {
    name: 'compose',
    file: 'docker-compose.yml',
    settings: [
      { option: authOptions.tokenFile, value: '/run/secrets/edgewatch-token' },
      { option: sensorSourceOptions.sysfs, value: '/host/sys' },
      // Compose interpolation, not a template: the host's /proc where the operator mounts one.
      // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's ${VAR:-default} syntax
      { option: sensorSourceOptions.procfs, value: '${EDGEWATCH_PROCFS:-/proc}' },
    ],
    // 143 MiB = 150 MB, the issue's ceiling for compose; the plan's minimum is 142 MiB. The stack
    // peaks at 110 MiB PSS on the Debian 12 image, 137 MiB on Debian 13 (src/budget/plan.ts).
    memoryBytes: 143 * MiB,
  },
  {
    name: 'systemd',
    file: 'deploy/systemd/edgewatch.service',
    settings: [{ option: commonOptions.dataPath, value: dataDir }],
    memoryBytes: 300 * MiB,
  },
];

/** A compose value with its `${VAR:-default}` interpolations replaced by their defaults. */
export function withComposeDefaults(value: string): string {
  return value.replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1');
}

/** docker's size syntax: m is MiB. */
function dockerSize(bytes: number): string {
  return bytes % MiB === 0 ? `${bytes / MiB}m` : String(bytes);
}

/** systemd's: M is MiB. formatBytes gives 300MiB, systemd wants 300M. */
function systemdSize(bytes: number): string {
  return formatBytes(bytes).replace(/iB$/, '');
}

/** The deployment's settings and limit in its file's own syntax. */
export function renderDeployment(d: Deployment): string {
  const env = d.settings.map((s) => [envName(s.option), s.value] as const);
  switch (d.name) {
    case 'dockerfile':
      return `ENV ${env.map(([k, v]) => `${k}=${v}`).join(' \\\n    ')}\n`;
    case 'compose': {
      const size = `\${EDGEWATCH_MEMORY:-${dockerSize(d.memoryBytes as number)}}`;
      return [
        'services:',
        '  edgewatch:',
        `    mem_limit: ${size}`,
        `    memswap_limit: ${size}`,
        '    environment:',
        ...env.map(([k, v]) => `      ${k}: ${v}`),
        '',
      ].join('\n');
    }
    case 'systemd':
      return [
        ...env.map(([k, v]) => `Environment=${k}=${v}`),
        `MemoryMax=${systemdSize(d.memoryBytes as number)}`,
        '',
      ].join('\n');
  }
}

/** What the deployment runs, as a command line for a bare box (the container's settings merged). */
export function renderCommand(d: Deployment): string {
  const settings =
    d.name === 'compose' ? [...deploymentNamed('dockerfile').settings, ...d.settings] : d.settings;
  const flags = settings.map((s) => `${flagName(s.option)}=${withComposeDefaults(s.value)}`);
  const budget = d.memoryBytes === undefined ? [] : [`--budget.memory=${formatBytes(d.memoryBytes)}`];
  return ['edgewatch up', ...flags, ...budget].join(' ');
}

export function deploymentNamed(name: Deployment['name']): Deployment {
  return deployments.find((d) => d.name === name) as Deployment;
}
