/**
 * vmagent: with remote_write endpoints, the stack's scraper. It writes every scrape to the local
 * VictoriaMetrics (URL 1) and to each endpoint (URLs 2…), each through its own on-disk queue
 * under <storage.path>/vmagent/persistent-queue/, so an outage of the central costs disk, not
 * data. VictoriaMetrics' own scraper is then off, so nothing is scraped twice.
 * Flags checked against `vmagent -help` of 1.79, the Debian package's version.
 *
 * Measured here: ~16 MB RSS idle with ~300 series, under 1 ms CPU per second. Blocks being
 * retried are held in RAM, so a SIGKILL during an outage loses them (50–250 samples in 60 s):
 * the backfill (src/uplink/) closes that from local storage.
 */
import { resolve } from 'node:path';
import type { ComponentName } from '../budget/plan.js';
import { defineOptions } from '../config/option.js';
import { formatBytes } from '../config/units.js';
import type { DeviceLabels, RemoteWriteEndpoint } from '../uplink/remote-write-config.js';
import type { ComponentSpec } from './component-types.js';
import { COMPONENT_LOG_LEVEL, goRuntimeEnv, loopbackOnly } from './victoria-metrics.js';

export const vmagentOptions = defineOptions({
  binary: {
    name: 'vmagent.binary',
    kind: 'string',
    default: 'vmagent',
    description:
      'vmagent executable, run only when remote_write has endpoints: a path, or a name looked up on PATH (the Debian package victoria-metrics installs /usr/bin/vmagent; release archives hold vmagent-prod).',
  },
  listenAddress: {
    name: 'vmagent.listen-address',
    kind: 'string',
    default: '127.0.0.1:8429',
    description:
      "vmagent's HTTP address (health, /metrics with the queues' state), host:port. Loopback only.",
    check: loopbackOnly,
  },
});

export interface VmagentSettings {
  readonly binary: string;
  readonly listenAddress: string;
  readonly dataPath: string;
  readonly scrapeConfigFile: string;
  /** The local VictoriaMetrics' write URL: always URL 1, unlimited and without device labels. */
  readonly localWriteUrl: string;
  readonly endpoints: readonly RemoteWriteEndpoint[];
  /** Relabel files: none for local storage, uplink.jobs and device labels for the endpoints. */
  readonly relabelFiles?: { readonly local: string; readonly endpoints: string };
  /** Bytes per second per endpoint; 0 unlimited. */
  readonly rateLimitBytes: number;
  readonly goMemLimitBytes: number;
}

/** The queue directory of vmagent (its persistent-queue/<n>_<hash>/ are per URL). */
export function vmagentQueuePath(dataPath: string): string {
  return resolve(dataPath, 'vmagent');
}

/**
 * The relabelling of what goes to the endpoints: only the jobs in uplink.jobs, then the device
 * labels. A scraped label of a device label's name (node_exporter's `device="eth0"`) is kept as
 * `exported_<name>`, as Prometheus does with target labels, instead of being overwritten.
 */
export function renderEndpointRelabel(labels: DeviceLabels, jobs: readonly string[] | undefined): string {
  const lines = ['# Written by edgewatch up at every start: what the endpoints get, and the device: labels.'];
  if (jobs !== undefined) {
    lines.push('- source_labels: [job]', `  regex: ${JSON.stringify(jobs.join('|'))}`, '  action: keep');
  }
  for (const [name, value] of Object.entries(labels)) {
    lines.push(
      `- source_labels: [${JSON.stringify(name)}]`,
      '  regex: "(.+)"',
      `  target_label: ${JSON.stringify(`exported_${name}`)}`,
      '  replacement: "$1"',
      `- target_label: ${JSON.stringify(name)}`,
      `  replacement: ${JSON.stringify(value)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

interface RenderedFile {
  readonly path: string;
  readonly text: string;
}

/**
 * The relabel files for -remoteWrite.urlRelabelConfig: one without rules for the local URL, one
 * for the endpoints; undefined when the endpoints get everything as scraped. Not an empty flag
 * value for the local URL: vmagent 1.79 drops empty values of this list, so the endpoints' file
 * slid onto the local URL.
 * @param jobs the jobs sent, or undefined for every job.
 */
export function endpointRelabelFiles(
  configDir: string,
  labels: DeviceLabels,
  jobs: readonly string[] | undefined,
): { local: RenderedFile; endpoints: RenderedFile } | undefined {
  if (Object.keys(labels).length === 0 && jobs === undefined) return undefined;
  return {
    local: {
      path: resolve(configDir, 'vmagent-local-relabel.yml'),
      text: '# Written by edgewatch up: local storage keeps the labels as scraped.\n[]\n',
    },
    endpoints: {
      path: resolve(configDir, 'vmagent-endpoint-relabel.yml'),
      text: renderEndpointRelabel(labels, jobs),
    },
  };
}

export function vmagentComponent(s: VmagentSettings): ComponentSpec {
  const local = { url: s.localWriteUrl } as const;
  const all = [local, ...s.endpoints];
  // -remoteWrite.* flags are lists matched by position with -remoteWrite.url: every list gets a
  // value per URL, so an endpoint's setting never slides onto another URL. Each value is quoted:
  // vmagent 1.79 drops an empty value (`-flag=`) from a list, so later values slid onto earlier
  // URLs, and a list left with one value applies to every URL. `-flag=""` is an empty entry.
  const quoted = (value: string | undefined) => JSON.stringify(value ?? '');
  const perUrl = (flag: string, value: (e: RemoteWriteEndpoint) => string | undefined): string[] =>
    all.map(
      (e, i) => `-remoteWrite.${flag}=${quoted(i === 0 ? undefined : value(e as RemoteWriteEndpoint))}`,
    );
  const anyTls = s.endpoints.some((e) => e.tls !== undefined);
  return {
    name: 'vmagent' satisfies ComponentName,
    binary: s.binary,
    args: [
      `-httpListenAddr=${s.listenAddress}`,
      `-promscrape.config=${s.scrapeConfigFile}`,
      ...all.map((e) => `-remoteWrite.url=${quoted(e.url)}`),
      `-remoteWrite.tmpDataPath=${vmagentQueuePath(s.dataPath)}`,
      // One cap for every URL in 1.79: the smallest endpoint cap. The local URL's queue stays
      // empty (loopback), so the cap only ever binds the endpoints'.
      `-remoteWrite.maxDiskUsagePerURL=${formatBytes(Math.min(...s.endpoints.map((e) => e.maxDiskUsageBytes)))}`,
      ...perUrl('bearerTokenFile', (e) => e.bearerTokenFile),
      ...perUrl('basicAuth.username', (e) => e.basicAuth?.username),
      ...perUrl('basicAuth.passwordFile', (e) => e.basicAuth?.passwordFile),
      ...(anyTls
        ? [
            ...perUrl('tlsCAFile', (e) => e.tls?.caFile),
            ...perUrl('tlsCertFile', (e) => e.tls?.certFile),
            ...perUrl('tlsKeyFile', (e) => e.tls?.keyFile),
            ...perUrl('tlsServerName', (e) => e.tls?.serverName),
            ...all.map(
              (e, i) =>
                `-remoteWrite.tlsInsecureSkipVerify=${i > 0 && (e as RemoteWriteEndpoint).tls?.insecureSkipVerify === true}`,
            ),
          ]
        : []),
      ...(s.relabelFiles === undefined
        ? []
        : all.map(
            (_, i) =>
              `-remoteWrite.urlRelabelConfig=${quoted(i === 0 ? s.relabelFiles?.local : s.relabelFiles?.endpoints)}`,
          )),
      ...(s.rateLimitBytes === 0
        ? []
        : all.map((_, i) => `-remoteWrite.rateLimit=${i === 0 ? 0 : s.rateLimitBytes}`)),
      // One queue per URL: measured, a SIGKILL during an outage loses 50 samples with 1 and 250
      // with the default 4 (each queue holds its own block in RAM while retrying).
      '-remoteWrite.queues=1',
      '-loggerFormat=json',
      // WARN, for a clean shutdown when edgewatch was killed: see victoria-metrics.ts.
      `-loggerLevel=${COMPONENT_LOG_LEVEL}`,
    ],
    env: goRuntimeEnv(s.goMemLimitBytes),
    listenAddress: s.listenAddress,
    healthUrl: `http://${s.listenAddress}/health`,
  };
}
