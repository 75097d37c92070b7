/** Shapes of the JSON the edgewatch server returns to the dashboard. */

export type SensorState = 'ok' | 'stale' | 'failing' | 'pending';

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

export interface SensorReport {
  status: 'ok' | 'degraded' | 'starting';
  timestamp: string;
  sensors: SensorEntry[];
}

export interface ActiveAlert {
  fingerprint: string;
  name: string;
  severity: string;
  state: 'firing';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  updatedAt: string;
}

export interface AlertEvent {
  time: string;
  fingerprint: string;
  name: string;
  severity: string;
  state: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface AlertsReport {
  active: ActiveAlert[];
  /** Newest first. */
  history: AlertEvent[];
}

export type Health = 'healthy' | 'starting' | 'unhealthy' | 'stopped';

export interface Component {
  name: string;
  pid: number | null;
  health: Health;
  uptime_seconds: number;
  restarts: number;
  /** Restarted 5 times within 2 minutes. */
  crash_looping: boolean;
  /** This component's allowance of the budget; null when the plan gives it none. */
  budget_bytes: number | null;
  memory: { rss_bytes: number; pss_bytes: number; anon_bytes: number };
}

export interface StackReport {
  budget_bytes: number;
  components: Component[];
}

/** One series of a Prometheus range query result. */
export interface MatrixSeries {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}
