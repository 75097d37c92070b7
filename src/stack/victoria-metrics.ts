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
import type { ComponentSpec } from './component-types.js';

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
    default: 64 * 1024 ** 2,
    min: 1024 ** 2,
    description:
      "Free space at storage.path below which VictoriaMetrics stops storing samples and stays up read-only (-storage.minFreeDiskSpaceBytes); queries keep working and it stores again once space is freed. Without room to spare it panics when a flush meets a full disk and loses its last seconds. edgewatch raises DiskAlmostFull below twice this and StorageReadOnly once VictoriaMetrics stops storing. 64 MiB leaves room for VictoriaMetrics' merges and edgewatch's own files.",
  },
  flushInterval: {
    name: 'storage.flush-interval',
    kind: 'duration',
    notATimer: true,
    // Measured on 1.112 (bench/flash, device writes per day at defaults): 1s 2.2 GB, 60s 0.55 GB,
    // 2m 0.22 GB, 3m 0.13 GB, 5m 0.08 GB; VictoriaMetrics' own 5s about 9.3 GB with the old
    // scrape set-up. 2m is the shortest at Netdata's level (~0.3 GB a day).
    default: 120_000,
    min: 1000,
    max: HOUR_MS,
    description:
      "How long VictoriaMetrics may keep new samples in memory before writing them to disk (its -inmemoryDataFlushInterval, VictoriaMetrics 1.85 and later, e.g. 1.112 on Debian 13). The cost of a longer one: a power cut or a kill loses at most this much of the box's local data (with forwarding, what already reached the central is safe); the gain: fewer writes to the SD card. VictoriaMetrics' own default is 5s. VictoriaMetrics 1.79 (Debian 12) has no such flag and writes every second that brings samples, whatever this says (a SIGKILL loses ~6-8 s there); a newer VictoriaMetrics (1.112 on Debian 13) is the remedy: vmagent batching in front of 1.79 was measured and does not pay (README, Performance).",
  },
});

/** VictoriaMetrics' name for storage.flush-interval; passed only to a binary that lists it in -help. */
export const FLUSH_INTERVAL_FLAG = 'inmemoryDataFlushInterval';

/**
 * The Go runtime of VictoriaMetrics and vmalert. GOMAXPROCS=1: one scheduler thread instead of one
 * per core; idle CPU ~0.72× (VictoriaMetrics) and ~0.76× (vmalert) measured on 2 cores, and an edge
 * box has a sensor service and queries to run, not parallel merges. GOMEMLIMIT comes from the plan.
 */
export function goRuntimeEnv(goMemLimitBytes: number): Record<string, string> {
  return { GOMEMLIMIT: goMemLimit(goMemLimitBytes), GOMAXPROCS: '1' };
}

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
  /** storage.flush-interval. */
  readonly flushIntervalMs: number;
  /** The flags the binary accepts (binary-flags.ts): optional flags are passed only when listed. */
  readonly binaryFlags: ReadonlySet<string>;
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
      ...(s.binaryFlags.has(FLUSH_INTERVAL_FLAG)
        ? // Milliseconds: Go's duration syntax, which has no `d`.
          [`-${FLUSH_INTERVAL_FLAG}=${s.flushIntervalMs}ms`]
        : []),
    ],
    env: goRuntimeEnv(plan.goMemLimitBytes),
    listenAddress: s.listenAddress,
    healthUrl: `${victoriaMetricsUrl(s.listenAddress)}/health`,
  };
}

/** Base URL for queries, writes and scrapes of VictoriaMetrics. */
export function victoriaMetricsUrl(listenAddress: string): string {
  return `http://${listenAddress}`;
}
