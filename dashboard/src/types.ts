/** Shapes of the JSON the edgewatch server returns to the dashboard: the server's own types. */

export type {
  ActiveAlertJson as ActiveAlert,
  AlertChangeJson as AlertEvent,
  AlertsReport,
  ApiErrorCode,
  ApiErrorJson,
  Health,
  SensorEntry,
  SensorReport,
  SensorState,
  StackComponentJson as Component,
  StackReportJson as StackReport,
  ThresholdJson,
  ThresholdsJson,
  UplinkJson,
} from '../../src/api/types.js';

/** One series of a Prometheus range query result. */
export interface MatrixSeries {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}

export type {
  QueryBatchResponseJson,
  QueryBatchResultJson,
} from '../../src/api/types.js';
