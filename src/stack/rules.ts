/**
 * The alerting rules: rules/edgewatch.rules.yml, shipped with edgewatch, is a template whose
 * `${option.name}` placeholders are replaced by the thresholds below at every start, into
 * <storage.path>/config/rules/. vmalert reads every *.yml there, so operators can add their own
 * rule files beside it; only edgewatch.rules.yml is rewritten.
 */

import { readFileSync } from 'node:fs';
import { defineOptions, type NumberOption } from '../config/option.js';
import { formatDuration } from '../config/units.js';
import { packagePath } from '../paths.js';

export const ruleOptions = defineOptions({
  temperatureHigh: {
    name: 'alerting.temperature-high',
    kind: 'number',
    unit: '°C',
    default: 40,
    description:
      'SensorTemperatureHigh fires when an environment sensor reads above this for alerting.threshold-for (SoC temperatures are not compared).',
  },
  temperatureLow: {
    name: 'alerting.temperature-low',
    kind: 'number',
    unit: '°C',
    default: 0,
    description:
      'SensorTemperatureLow fires when an environment sensor reads below this for alerting.threshold-for (frost).',
  },
  humidityHigh: {
    name: 'alerting.humidity-high',
    kind: 'number',
    unit: 'ratio 0..1',
    default: 0.9,
    min: 0,
    max: 1,
    description:
      'SensorHumidityHigh fires when relative humidity stays above this for alerting.threshold-for (condensation).',
  },
  humidityLow: {
    name: 'alerting.humidity-low',
    kind: 'number',
    unit: 'ratio 0..1',
    default: 0.1,
    min: 0,
    max: 1,
    description:
      'SensorHumidityLow fires when relative humidity stays below this for alerting.threshold-for.',
  },
  thresholdFor: {
    name: 'alerting.threshold-for',
    kind: 'duration',
    notATimer: true,
    default: 300_000,
    min: 0,
    description:
      'How long a sensor reading must stay beyond a temperature or humidity threshold before its alert fires, so one odd sample pages no one.',
  },
  diskFreeLow: {
    name: 'alerting.disk-free-low',
    kind: 'number',
    unit: 'ratio 0..1',
    default: 0.1,
    min: 0,
    max: 1,
    description:
      "DiskSpaceLow fires when the free share of storage.path's filesystem stays below this for 5 minutes.",
  },
  downFor: {
    name: 'alerting.uplink-down-for',
    kind: 'duration',
    notATimer: true,
    default: 600_000,
    min: 0,
    description:
      'UplinkDown fires when an endpoint has not accepted data for this long (the queue keeps it meanwhile).',
  },
  queueNearCap: {
    name: 'alerting.uplink-queue-near-cap',
    kind: 'number',
    unit: 'ratio 0..1',
    default: 0.8,
    min: 0,
    max: 1,
    description:
      "UplinkQueueNearCap fires when an endpoint's on-disk queue holds more than this share of its max_disk_usage.",
  },
});

/** The template shipped in the package. */
const rulesTemplateFile = packagePath('rules/edgewatch.rules.yml');

/**
 * Replaces every `${option.name}` with its value. Throws on a placeholder that names no rule
 * option: a typo in the template must not reach vmalert as a broken expression.
 */
export function renderRules(template: string, values: ReadonlyMap<NumberOption, number>): string {
  const byName = new Map(
    [...values].map(([option, value]) => [
      option.name,
      option.kind === 'duration' ? formatDuration(value) : String(value),
    ]),
  );
  return template.replace(/\$\{([a-z.-]+)\}/g, (placeholder, name: string) => {
    const value = byName.get(name);
    if (value === undefined) throw new Error(`${rulesTemplateFile}: unknown placeholder ${placeholder}`);
    return value;
  });
}

export function readRulesTemplate(): string {
  return readFileSync(rulesTemplateFile, 'utf8');
}
