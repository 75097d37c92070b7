/**
 * The JSON edgewatch's HTTP API returns, in one place: the server builds these and the dashboard
 * (dashboard/src/types.ts) reads them, so the two cannot drift apart. No imports: the dashboard's
 * browser build type-checks this file too.
 */

/** `pending`: never read; `failing`: the last read failed; `stale`: values older than sensor.stale-after. */
export type SensorState = 'pending' | 'ok' | 'stale' | 'failing';

/** GET /sensor, one sensor. */
export interface SensorEntry {
  id: string;
  source: string;
  device: string;
  name: string;
  location: string;
  state: SensorState;
  /** Null for a sensor never read. */
  age_seconds: number | null;
  /** Keyed `<channel>_<unit>`, base units. */
  values: Record<string, number>;
}

/** GET /sensor. */
export interface SensorReport {
  status: 'ok' | 'degraded' | 'starting';
  timestamp: string;
  sensors: SensorEntry[];
}

export type AlertState = 'firing' | 'resolved';

/** GET /api/alerts, one active alert. Times are RFC 3339 text. */
export interface ActiveAlertJson {
  fingerprint: string;
  name: string;
  severity: string;
  state: 'firing';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  updatedAt: string;
}

/** GET /api/alerts, one state change in the history. */
export interface AlertChangeJson {
  time: string;
  fingerprint: string;
  name: string;
  severity: string;
  state: AlertState;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** GET /api/alerts; both lists newest first. */
export interface AlertsReport {
  active: ActiveAlertJson[];
  history: AlertChangeJson[];
}

export type Health = 'starting' | 'healthy' | 'unhealthy' | 'stopped';

/** GET /api/stack, one component. */
export interface StackComponentJson {
  name: string;
  pid: number | null;
  health: Health;
  uptime_seconds: number;
  restarts: number;
  /** Failed 5 times in a row (crashed, or never became healthy) without a minute of health between. */
  crash_looping: boolean;
  /** How the last run ended, when one has: RFC 3339 time and e.g. "killed by SIGKILL". */
  last_exit: { at: string; reason: string } | null;
  /** The component's allowance of the budget. */
  budget_bytes: number | null;
  /** From the last sample; 0 while the component is not running or not sampled yet. */
  memory: { rss_bytes: number; pss_bytes: number; anon_bytes: number };
}

/** GET /api/stack. */
export interface StackReportJson {
  budget_bytes: number;
  components: StackComponentJson[];
  /** One per remote_write endpoint; empty without forwarding. */
  uplinks: UplinkJson[];
}

/** GET /api/stack, one remote_write endpoint: what edgewatch_uplink_* say of it now. */
export interface UplinkJson {
  /** host:port and path of the endpoint's URL, as in the metrics' `endpoint` label. */
  endpoint: string;
  up: boolean;
  pending_bytes: number;
  queue_max_bytes: number;
  /** RFC 3339: every sample before it is known delivered; null until the first delivery. */
  delivered_until: string | null;
  /** The last HTTP status the endpoint refused with; null when it never did. */
  last_error_status: number | null;
  refused_blocks: number;
  dropped_bytes: number;
}

/** GET /api/thresholds, one threshold: `metric` (base units) `direction` `value` fires `alert`. */
export interface ThresholdJson {
  alert: string;
  metric: string;
  direction: 'above' | 'below';
  /** The option that sets it, e.g. alerting.temperature-high. */
  option: string;
  value: number;
}

/** GET /api/thresholds (edgewatch up): the alert thresholds the box's rules use. */
export interface ThresholdsJson {
  thresholds: ThresholdJson[];
}

/**
 * POST /api/query_batch: several read-only queries in one request, so a dashboard refresh is one
 * request instead of one per chart (the browser opens 6 connections per host; with
 * VictoriaMetrics down, 12 queries queued behind each other for a minute). Each query names an
 * endpoint of the query proxy's allow-list (src/http/query-endpoints.ts) and its parameters.
 */
export interface QueryBatchRequestJson {
  queries: Array<{ endpoint: string; params: Record<string, string> }>;
}

/** One answer of a batch, in the order asked: VictoriaMetrics' own body, or why there is none. */
export type QueryBatchResultJson =
  | { status: 'success'; data: { resultType: string; result: unknown } }
  | {
      status: 'error';
      error: string;
      /** VictoriaMetrics' errorType, or edgewatch's code when VictoriaMetrics gave no answer. */
      errorType: string;
      /** Set when edgewatch, not VictoriaMetrics, failed the query (unreachable, timeout, too large). */
      code?: ApiErrorCode;
    };

export interface QueryBatchResponseJson {
  results: QueryBatchResultJson[];
}

/**
 * The `error` code of every edgewatch error body `{error, message}`: the server's sendError takes
 * only these and the dashboard matches on them, so a renamed code fails the build on both sides.
 */
export type ApiErrorCode =
  // Any route.
  | 'unauthorized'
  | 'not_found'
  | 'method_not_allowed'
  | 'internal'
  | 'render_failed'
  | 'dashboard_not_built'
  /** A request body (query form or alert payload) over its size limit: 413. */
  | 'payload_too_large'
  | 'unsupported_media_type'
  /** A request target the URL parser rejects (`GET //`): 400. */
  | 'bad_request'
  /** A Host header that cannot name this server (DNS rebinding): 421. */
  | 'host_not_allowed'
  // Alert receiver.
  | 'bad_payload'
  /** One alert's labels or annotations over their limits: 413. */
  | 'alert_too_large'
  /** A post from another site (Origin, Sec-Fetch-Site): 403. */
  | 'cross_site'
  // Query proxy: refused before VictoriaMetrics is asked.
  | 'forbidden_endpoint'
  | 'missing_parameter'
  | 'invalid_parameter'
  | 'invalid_range'
  | 'range_too_long'
  | 'too_many_points'
  | 'too_many_matchers'
  | 'query_too_long'
  /** POST /api/query_batch: more queries than MAX_BATCH_QUERIES, or a body that is not a batch. */
  | 'too_many_queries'
  | 'bad_batch'
  // Query proxy: VictoriaMetrics' side.
  | 'upstream_unavailable'
  | 'upstream_timeout'
  | 'response_too_large';

/** Every edgewatch error response (4xx/5xx) body. */
export interface ApiErrorJson {
  error: ApiErrorCode;
  message: string;
}
