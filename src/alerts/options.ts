/** The alerting.* options and the plain settings object `createAlerting` takes. */
import type { Config } from '../config/load.js';
import { defineOptions } from '../config/option.js';

export const alertingOptions = defineOptions({
  maxPayload: {
    name: 'alerting.max-payload',
    kind: 'bytes',
    default: 1024 ** 2,
    min: 1024,
    description:
      'Largest notification body POST /api/v2/alerts accepts; larger ones get 413 and are never buffered (at most 256 KiB more is read and dropped, then the connection is closed). vmalert sends a few KiB.',
  },
  maxActive: {
    name: 'alerting.max-active',
    kind: 'int',
    default: 1000,
    min: 1,
    description:
      'Most alerts kept active at once. New alerts beyond it are dropped, logged and counted in edgewatch_alerts_rejected_total.',
  },
  maxMemory: {
    name: 'alerting.max-memory',
    kind: 'bytes',
    default: 4 * 1024 ** 2,
    min: 64 * 1024,
    description:
      "Most memory the active alerts of one sender class (vmalert; every other sender) may take, counted as 2 bytes per character of label and annotation names and values plus 256 per alert. New alerts beyond it are dropped and counted like those beyond alerting.max-active. vmalert's alerts take ~1 KB each.",
  },
  historySize: {
    name: 'alerting.history-size',
    kind: 'int',
    default: 200,
    min: 1,
    description:
      'State changes (firing, resolved) kept in memory for GET /api/alerts; the oldest are forgotten.',
  },
  resolveTimeout: {
    name: 'alerting.resolve-timeout',
    kind: 'duration',
    default: 5 * 60_000,
    min: 1000,
    description:
      'How long a firing alert stays active without being re-sent when its notification has no endsAt. As in Alertmanager, an endsAt takes precedence: vmalert sets it four evaluation intervals ahead and re-sends at every evaluation.',
  },
  actionCommand: {
    name: 'alerting.action-command',
    kind: 'string',
    default: '',
    defaultText: '(none)',
    description:
      'Command run with /bin/sh -c (pipelines and redirections work) when an alert starts firing or resolves: a buzzer, a relay, an SMS script. It gets EDGEWATCH_ALERT_NAME, EDGEWATCH_ALERT_STATE (firing|resolved), EDGEWATCH_ALERT_SEVERITY, EDGEWATCH_ALERT_SUMMARY, EDGEWATCH_ALERT_LABELS (JSON) and EDGEWATCH_ALERT_JSON (the whole alert) in its environment. At most 2 run at once and 32 wait; further ones are dropped and counted.',
  },
  actionTimeout: {
    name: 'alerting.action-timeout',
    kind: 'duration',
    default: 10_000,
    min: 100,
    description:
      'How long one run of alerting.action-command may take; then its whole process group gets SIGTERM, and SIGKILL a second later.',
  },
});

/** Every alerting option, for a command's option list. */
export const alertingOptionList = Object.values(alertingOptions);

export interface AlertingSettings {
  maxPayloadBytes: number;
  maxActive: number;
  maxMemoryBytes: number;
  historySize: number;
  resolveTimeoutMs: number;
  /** '' runs nothing. */
  actionCommand: string;
  actionTimeoutMs: number;
}

export function alertingSettings(config: Config): AlertingSettings {
  return {
    maxPayloadBytes: config.get(alertingOptions.maxPayload),
    maxActive: config.get(alertingOptions.maxActive),
    maxMemoryBytes: config.get(alertingOptions.maxMemory),
    historySize: config.get(alertingOptions.historySize),
    resolveTimeoutMs: config.get(alertingOptions.resolveTimeout),
    actionCommand: config.get(alertingOptions.actionCommand),
    actionTimeoutMs: config.get(alertingOptions.actionTimeout),
  };
}
