/**
 * The stack's components: edgewatch itself, then VictoriaMetrics, vmalert and, with remote_write
 * endpoints, vmagent, supervised in that order (COMPONENT_NAMES, in the budget plan, names them;
 * they are also the scrape jobs).
 *
 * prepareStack does everything that can find the configuration wrong (the budget, the binaries,
 * credentials for scraping) and renders the files the components read, without starting or
 * writing anything; writeStackConfig writes those files.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { memoryBudget } from '../budget/memory-budget.js';
import {
  type BudgetPlan,
  budgetOptions,
  type ComponentName,
  planBudget,
  stackComponentNames,
} from '../budget/plan.js';
import { commonOptions } from '../config/common-options.js';
import type { Config } from '../config/load.js';
import { EdgewatchError, ErrorCode } from '../errors.js';
import { authOptions } from '../http/auth.js';
import { webOptions } from '../http/options.js';
import { parseListenAddress } from '../http/server.js';
import { checkEndpointFiles } from '../uplink/endpoint-files.js';
import { uplinkOptions } from '../uplink/options.js';
import type { RemoteWriteEndpoint } from '../uplink/remote-write-config.js';
import { requireExecutable } from './binary.js';
import { binaryFlags } from './binary-flags.js';
import type { ComponentSpec, ComponentStatus } from './component-types.js';
import { writeFileAtomically } from './files.js';
import { isSlimmedJob, KEPT_SERIES, selfScrapeIntervalMs } from './kept-series.js';
import { readRulesTemplate, renderRules, ruleOptions } from './rules.js';
import { renderScrapeConfig, type ScrapeTarget, scrapeOptions } from './scrape-config.js';
import { supervisorOptions } from './supervisor.js';
import {
  FLUSH_INTERVAL_FLAG,
  victoriaMetricsComponent,
  victoriaMetricsOptions,
  victoriaMetricsUrl,
} from './victoria-metrics.js';
import { endpointRelabelFiles, vmagentComponent, vmagentOptions } from './vmagent.js';
import { vmalertComponent, vmalertOptions } from './vmalert.js';

/** Every option prepareStack reads, for `edgewatch up`'s option list. */
export const stackOptions = [
  budgetOptions.memory,
  ...Object.values(victoriaMetricsOptions),
  ...Object.values(scrapeOptions),
  ...Object.values(vmalertOptions),
  ...Object.values(ruleOptions),
  ...Object.values(supervisorOptions),
  ...Object.values(vmagentOptions),
  ...Object.values(uplinkOptions),
  authOptions.tokenFile,
  authOptions.username,
];

export interface StackFile {
  readonly path: string;
  readonly text: string;
  /** Default 0o644. */
  readonly mode?: number;
}

export interface PreparedStack {
  readonly plan: BudgetPlan;
  /** Supervised components in start order; stopped in reverse. */
  readonly components: readonly ComponentSpec[];
  /** Rendered configuration files, written before the components start. */
  readonly files: readonly StackFile[];
  /**
   * Generated at each start, given to vmalert only (in a 0600 file): the receiver keeps the
   * alerts that carry it apart from every other sender's, so they cannot be crowded out.
   */
  readonly vmalertToken: string;
  /** The remote_write endpoints; empty when no vmagent runs. */
  readonly endpoints: readonly RemoteWriteEndpoint[];
  /** Settings the installed binaries cannot honour, for a warning at start. */
  readonly warnings: readonly string[];
}

/**
 * Resolves the plan, binaries, addresses and files of the stack. Throws CONFIG_INVALID or
 * BINARY_MISSING (exit 2) before anything has started.
 */
export function prepareStack(config: Config): PreparedStack {
  // Unset, budget.memory is the cgroup's memory limit when there is one (a container, a unit).
  const endpoints: readonly RemoteWriteEndpoint[] = config.get(uplinkOptions.remoteWrite);
  checkEndpointFiles(endpoints);
  const withVmagent = endpoints.length > 0;
  const plan = planBudget(memoryBudget(config), withVmagent);
  const vmBinary = requireExecutable(
    config.get(victoriaMetricsOptions.binary),
    victoriaMetricsOptions.binary.name,
  );
  const vmalertBinary = requireExecutable(config.get(vmalertOptions.binary), vmalertOptions.binary.name);

  const configDir = resolve(config.get(commonOptions.dataPath), 'config');
  const scrapeConfigFile = resolve(configDir, 'scrape.yml');
  const rulesDir = resolve(configDir, 'rules');
  const edgewatchAddress = localAddress(config.get(webOptions.listenAddress));
  const tokenFile = edgewatchTokenFile(config);
  const vmalertToken = randomBytes(32).toString('base64url');
  const vmalertTokenFile = resolve(configDir, 'vmalert-notifier.token');
  const vmAddress = config.get(victoriaMetricsOptions.listenAddress);
  const vmUrl = victoriaMetricsUrl(vmAddress);
  const vmalertAddress = config.get(vmalertOptions.listenAddress);
  const vmagentAddress = config.get(vmagentOptions.listenAddress);

  const thresholds = new Map(Object.values(ruleOptions).map((option) => [option, config.get(option)]));
  const scrapeTargets: Record<ComponentName, Omit<ScrapeTarget, 'job'>> = {
    edgewatch: { address: edgewatchAddress, bearerTokenFile: tokenFile },
    victoriametrics: { address: vmAddress },
    vmalert: { address: vmalertAddress },
    vmagent: { address: vmagentAddress },
  };
  const scrapeInterval = config.get(scrapeOptions.interval);
  const scrapeJob = (job: ComponentName): ScrapeTarget => ({
    job,
    ...scrapeTargets[job],
    ...(isSlimmedJob(job)
      ? {
          intervalMs: selfScrapeIntervalMs(scrapeInterval),
          keepMetrics: KEPT_SERIES[job].map((kept) => kept.name),
        }
      : {}),
  });
  const files: StackFile[] = [
    {
      path: scrapeConfigFile,
      text: renderScrapeConfig(scrapeInterval, stackComponentNames(withVmagent).map(scrapeJob)),
    },
    { path: resolve(rulesDir, 'edgewatch.rules.yml'), text: renderRules(readRulesTemplate(), thresholds) },
  ];

  const vmFlags = binaryFlags(vmBinary);
  const warnings: string[] = [];
  if (
    !vmFlags.has(FLUSH_INTERVAL_FLAG) &&
    config.origin(victoriaMetricsOptions.flushInterval) !== 'default'
  ) {
    warnings.push(
      `${victoriaMetricsOptions.flushInterval.name} has no effect: ${vmBinary} has no -${FLUSH_INTERVAL_FLAG} (VictoriaMetrics 1.85 and later have it; 1.79 writes every second that brings samples)`,
    );
  }
  const components = [
    victoriaMetricsComponent({
      binary: vmBinary,
      listenAddress: vmAddress,
      dataPath: config.get(commonOptions.dataPath),
      retentionMs: config.get(victoriaMetricsOptions.retention),
      minFreeDiskSpaceBytes: config.get(victoriaMetricsOptions.minFreeDiskSpace),
      // With vmagent as the scraper VictoriaMetrics' own is off, so nothing is scraped twice.
      scrapeConfigFile: withVmagent ? undefined : scrapeConfigFile,
      plan: plan.victoriaMetrics,
      flushIntervalMs: config.get(victoriaMetricsOptions.flushInterval),
      binaryFlags: vmFlags,
    }),
    vmalertComponent({
      binary: vmalertBinary,
      listenAddress: vmalertAddress,
      // The glob also takes an operator's own rule files put next to edgewatch's.
      rules: resolve(rulesDir, '*.yml'),
      victoriaMetricsUrl: vmUrl,
      edgewatchUrl: `http://${edgewatchAddress}`,
      edgewatchTokenFile: vmalertTokenFile,
      alertmanagerUrls: config.get(vmalertOptions.alertmanagerUrls),
      evaluationIntervalMs: config.get(vmalertOptions.evaluationInterval),
      goMemLimitBytes: plan.vmalertGoMemLimitBytes,
    }),
  ];
  files.push({ path: vmalertTokenFile, text: vmalertToken, mode: 0o600 });
  if (withVmagent) {
    const jobs = config.get(uplinkOptions.jobs);
    const relabel = endpointRelabelFiles(
      configDir,
      config.get(uplinkOptions.device),
      stackComponentNames(true).every((job) => jobs.includes(job)) ? undefined : jobs,
    );
    if (relabel) files.push(relabel.local, relabel.endpoints);
    components.push(
      vmagentComponent({
        binary: requireExecutable(config.get(vmagentOptions.binary), vmagentOptions.binary.name),
        listenAddress: vmagentAddress,
        dataPath: config.get(commonOptions.dataPath),
        scrapeConfigFile,
        localWriteUrl: `${vmUrl}/api/v1/write`,
        endpoints,
        relabelFiles: relabel && { local: relabel.local.path, endpoints: relabel.endpoints.path },
        rateLimitBytes: config.get(uplinkOptions.rateLimit),
        goMemLimitBytes: plan.vmagentGoMemLimitBytes,
      }),
    );
  }
  return { plan, components, files, vmalertToken, endpoints, warnings };
}

export async function writeStackConfig(stack: PreparedStack): Promise<void> {
  for (const file of stack.files) await writeFileAtomically(file.path, file.text, file.mode);
}

/** edgewatch as a component of its own stack: always running while it can answer. */
export function edgewatchStatus(): ComponentStatus {
  return {
    name: 'edgewatch' satisfies ComponentName,
    pid: process.pid,
    health: 'healthy',
    uptimeSeconds: process.uptime(),
    restarts: 0,
    crashLooping: false,
    lastExit: undefined,
  };
}

/**
 * The address VictoriaMetrics and vmalert reach edgewatch at: its listen address, with
 * "all interfaces" replaced by loopback.
 */
function localAddress(listenAddress: string): string {
  const { host, port } = parseListenAddress(listenAddress);
  if (host === '0.0.0.0' || host === '::' || host === '') return `127.0.0.1:${port}`;
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * With access control on, VictoriaMetrics scrapes /metrics and vmalert posts alerts with the
 * bearer token. Basic credentials cannot serve: edgewatch only holds the password's hash.
 */
function edgewatchTokenFile(config: Config): string | undefined {
  const tokenFile = config.get(authOptions.tokenFile);
  if (tokenFile !== '') return resolve(tokenFile);
  if (config.get(authOptions.username) !== '') {
    throw new EdgewatchError(
      ErrorCode.CONFIG_INVALID,
      `with --${authOptions.username.name} alone, vmalert cannot deliver alerts to edgewatch nor VictoriaMetrics scrape it (edgewatch only knows the password's hash): set --${authOptions.tokenFile.name} as well`,
    );
  }
  return undefined;
}
