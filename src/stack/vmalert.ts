/**
 * vmalert: evaluates the rules against VictoriaMetrics and notifies edgewatch itself (its
 * POST /api/v2/alerts speaks Alertmanager's API) and any configured Alertmanagers. Alert state is
 * written back to VictoriaMetrics and read again at start, so a restart does not reset `for:`.
 * Flags checked against `vmalert -help` of 1.79.
 */
import type { ComponentName } from '../budget/plan.js';
import { defineOptions } from '../config/option.js';
import { formatDuration } from '../config/units.js';
import type { ComponentSpec } from './component-types.js';
import { COMPONENT_LOG_LEVEL, goRuntimeEnv, loopbackOnly } from './victoria-metrics.js';

export const vmalertOptions = defineOptions({
  binary: {
    name: 'vmalert.binary',
    kind: 'string',
    default: 'vmalert',
    description:
      'vmalert executable: a path, or a name looked up on PATH (the Debian package victoria-metrics installs /usr/bin/vmalert; release archives hold vmalert-prod).',
  },
  listenAddress: {
    name: 'vmalert.listen-address',
    kind: 'string',
    default: '127.0.0.1:8880',
    description:
      "vmalert's HTTP address (health, /metrics, its rule status pages), host:port. Loopback only.",
    check: loopbackOnly,
  },
  evaluationInterval: {
    name: 'alerting.evaluation-interval',
    kind: 'duration',
    default: 15_000,
    min: 1000,
    max: 3_600_000,
    description:
      'How often vmalert evaluates the rules. Shorter than vm.scrape-interval only re-reads the same samples.',
  },
  alertmanagerUrls: {
    name: 'alerting.alertmanager-urls',
    kind: 'list',
    default: [],
    description:
      'Alertmanagers vmalert also notifies, e.g. http://alertmanager.example:9093, besides edgewatch itself (which always receives alerts for the dashboard and alerting.action-command).',
    check: (urls) => {
      const bad = urls.find((url) => !/^https?:\/\/[^/\s]+/.test(url));
      return bad === undefined ? undefined : `"${bad}" is not an http:// or https:// URL`;
    },
  },
});

export interface VmalertSettings {
  readonly binary: string;
  readonly listenAddress: string;
  /** Glob of the rendered rule files. */
  readonly rules: string;
  /** VictoriaMetrics' base URL: datasource, and where alert state is written and restored from. */
  readonly victoriaMetricsUrl: string;
  /** edgewatch's base URL; vmalert appends /api/v2/alerts. */
  readonly edgewatchUrl: string;
  /** The file holding the bearer token edgewatch generated for vmalert at start (its alerts are kept apart by it). */
  readonly edgewatchTokenFile?: string;
  readonly alertmanagerUrls: readonly string[];
  readonly evaluationIntervalMs: number;
  readonly goMemLimitBytes: number;
}

export function vmalertComponent(s: VmalertSettings): ComponentSpec {
  const notifiers = [s.edgewatchUrl, ...s.alertmanagerUrls];
  // -notifier.* flags are lists matched by position: the token goes with edgewatch's URL only.
  const tokens =
    s.edgewatchTokenFile === undefined ? [] : [s.edgewatchTokenFile, ...s.alertmanagerUrls.map(() => '')];
  return {
    name: 'vmalert' satisfies ComponentName,
    binary: s.binary,
    args: [
      `-httpListenAddr=${s.listenAddress}`,
      `-rule=${s.rules}`,
      `-datasource.url=${s.victoriaMetricsUrl}`,
      `-remoteWrite.url=${s.victoriaMetricsUrl}`,
      `-remoteRead.url=${s.victoriaMetricsUrl}`,
      ...notifiers.map((url) => `-notifier.url=${url}`),
      ...tokens.map((file) => `-notifier.bearerTokenFile=${file}`),
      `-evaluationInterval=${formatDuration(s.evaluationIntervalMs)}`,
      '-loggerFormat=json',
      // WARN, for a clean shutdown when edgewatch was killed: see victoria-metrics.ts.
      `-loggerLevel=${COMPONENT_LOG_LEVEL}`,
    ],
    env: goRuntimeEnv(s.goMemLimitBytes),
    listenAddress: s.listenAddress,
    healthUrl: `http://${s.listenAddress}/health`,
  };
}
