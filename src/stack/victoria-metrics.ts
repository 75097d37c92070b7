/**
 * VictoriaMetrics single-node: the time-series database and the scraper (-promscrape.config).
 * Flags checked against `victoria-metrics -help` of 1.79, the Debian package's version.
 */
import { resolve } from 'node:path';
import { type ComponentName, goMemLimit, type VictoriaMetricsPlan } from '../budget/plan.js';
import { defineOptions } from '../config/option.js';
import { formatBytes, formatDuration } from '../config/units.js';
import { parseListenAddress } from '../http/server.js';
import { isLoopbackHost } from '../net/loopback.js';
import type { ComponentSpec } from './supervisor.js';

const HOUR_MS = 3_600_000;

/** -loggerLevel of VictoriaMetrics and vmalert; see the flag's comment below. */
export const COMPONENT_LOG_LEVEL = 'WARN';

export const victoriaMetricsOptions = defineOptions({
  binary: {
    name: 'vm.binary',
    kind: 'string',
    default: 'victoria-metrics',
    description:
      'VictoriaMetrics single-node executable: a path, or a name looked up on PATH (the Debian package installs /usr/bin/victoria-metrics; release archives hold victoria-metrics-prod).',
  },
  listenAddress: {
    name: 'vm.listen-address',
    kind: 'string',
    default: '127.0.0.1:8428',
    description:
      "VictoriaMetrics' HTTP address, host:port. Loopback only: it has no access control and serves delete and admin endpoints; the outside world queries through edgewatch's /api/v1/.",
    check: loopbackOnly,
  },
  retention: {
    name: 'vm.retention',
    kind: 'duration',
    notATimer: true,
    default: 30 * 24 * HOUR_MS,
    min: 24 * HOUR_MS,
    description:
      'How long samples are kept (-retentionPeriod). At least 1d, in whole hours. Disk use grows with it: ~1 byte per sample, so 2000 series every 15 s is ~350 MB per 30 days.',
    check: (ms) => (ms % HOUR_MS === 0 ? undefined : 'must be a whole number of hours, e.g. 36h or 30d'),
  },
  minFreeDiskSpace: {
    name: 'vm.min-free-disk-space',
    kind: 'bytes',
    unit: 'bytes',
    default: 64 * 1024 ** 2,
    min: 1024 ** 2,
    description:
      "Free space at storage.path below which VictoriaMetrics stops storing samples and stays up read-only (-storage.minFreeDiskSpaceBytes); queries keep working and it stores again once space is freed. Without room to spare it panics when a flush meets a full disk and loses its last seconds. edgewatch raises DiskAlmostFull below twice this and StorageReadOnly once VictoriaMetrics stops storing. 64 MiB leaves room for VictoriaMetrics' merges and edgewatch's own files.",
  },
});

export function loopbackOnly(address: string): string | undefined {
  const { host } = parseListenAddress(address);
  return isLoopbackHost(host) ? undefined : 'must be a loopback address such as 127.0.0.1:PORT';
}

export interface VictoriaMetricsSettings {
  readonly binary: string;
  readonly listenAddress: string;
  /** edgewatch's storage.path; VictoriaMetrics' data goes into its victoria-metrics/ directory. */
  readonly dataPath: string;
  readonly retentionMs: number;
  /** vm.min-free-disk-space, bytes. */
  readonly minFreeDiskSpaceBytes: number;
  /** Undefined when vmagent scrapes instead. */
  readonly scrapeConfigFile?: string;
  readonly plan: VictoriaMetricsPlan;
}

export function victoriaMetricsComponent(s: VictoriaMetricsSettings): ComponentSpec {
  const { plan } = s;
  return {
    name: 'victoriametrics' satisfies ComponentName,
    binary: s.binary,
    args: [
      `-httpListenAddr=${s.listenAddress}`,
      `-storageDataPath=${resolve(s.dataPath, 'victoria-metrics')}`,
      // VictoriaMetrics reads a bare number as months and `m` is not minutes: write h or d.
      `-retentionPeriod=${s.retentionMs % (24 * HOUR_MS) === 0 ? formatDuration(s.retentionMs) : `${s.retentionMs / HOUR_MS}h`}`,
      ...(s.scrapeConfigFile === undefined ? [] : [`-promscrape.config=${s.scrapeConfigFile}`]),
      // Read-only before the disk is full, rather than a panic on ENOSPC (see the option).
      `-storage.minFreeDiskSpaceBytes=${s.minFreeDiskSpaceBytes}`,
      // Bytes, not -memory.allowedPercent: a percentage is of the host's RAM, not of our budget.
      `-memory.allowedBytes=${formatBytes(plan.cacheBytes)}`,
      `-search.maxConcurrentRequests=${plan.maxConcurrentRequests}`,
      `-search.maxUniqueTimeseries=${plan.maxUniqueTimeseries}`,
      `-search.maxSamplesPerQuery=${plan.maxSamplesPerQuery}`,
      // A query holds its memory until it ends. 30 s, VictoriaMetrics' default and query.timeout's,
      // is written out so the ceiling for vmalert's queries is visible in `ps`.
      '-search.maxQueryDuration=30s',
      // The default 30 s hides the last two scrapes from queries, made for clusters whose ingest
      // lags; here scrapes are local and samples are searchable within about a second.
      '-search.latencyOffset=2s',
      `-storage.maxHourlySeries=${plan.maxHourlySeries}`,
      `-storage.maxDailySeries=${plan.maxDailySeries}`,
      '-loggerFormat=json',
      // Not INFO (flag dumps, shutdown progress), and not only for less noise: when edgewatch is
      // killed, the component's output pipe is closed before the kernel sends it SIGTERM, and a Go
      // program dies of SIGPIPE at its first log line. A shutdown that logs nothing completes.
      `-loggerLevel=${COMPONENT_LOG_LEVEL}`,
    ],
    env: { GOMEMLIMIT: goMemLimit(plan.goMemLimitBytes) },
    listenAddress: s.listenAddress,
    healthUrl: `${victoriaMetricsUrl(s.listenAddress)}/health`,
  };
}

/** Base URL for queries, writes and scrapes of VictoriaMetrics. */
export function victoriaMetricsUrl(listenAddress: string): string {
  return `http://${listenAddress}`;
}
