/**
 * GET /api/thresholds: the alert thresholds the shipped rules use on this box (the alerting.*
 * options, rules.ts), so the dashboard draws them on the charts they apply to. Read from the
 * same options the rules are rendered from at start, so the lines and the alerts cannot differ.
 */
import type { ThresholdsJson } from '../api/types.js';
import type { NumberOption } from '../config/option.js';
import { sendJson } from '../http/respond.js';
import type { Route } from '../http/router.js';
import { ruleOptions } from './rules.js';

/** Which rule of rules/edgewatch.rules.yml compares which metric with which option. */
const ruleThresholds = [
  {
    alert: 'SensorTemperatureHigh',
    metric: 'sensor_temperature_celsius',
    direction: 'above',
    option: ruleOptions.temperatureHigh,
  },
  {
    alert: 'SensorTemperatureLow',
    metric: 'sensor_temperature_celsius',
    direction: 'below',
    option: ruleOptions.temperatureLow,
  },
  {
    alert: 'SensorHumidityHigh',
    metric: 'sensor_humidity_ratio',
    direction: 'above',
    option: ruleOptions.humidityHigh,
  },
  {
    alert: 'SensorHumidityLow',
    metric: 'sensor_humidity_ratio',
    direction: 'below',
    option: ruleOptions.humidityLow,
  },
] as const;

export function thresholdsReport(valueFor: (option: NumberOption) => number): ThresholdsJson {
  return {
    thresholds: ruleThresholds.map((t) => ({
      alert: t.alert,
      metric: t.metric,
      direction: t.direction,
      option: t.option.name,
      value: valueFor(t.option),
    })),
  };
}

export function thresholdsRoute(report: ThresholdsJson): Route {
  return {
    name: 'thresholds',
    method: 'GET',
    path: '/api/thresholds',
    handler: (_req, res) => sendJson(res, 200, report),
  };
}
