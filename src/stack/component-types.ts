/** What the supervisor is given and reports per component: types only, shared by supervisor.ts and supervised-component.ts. */
import type { Health } from '../api/types.js';
import type { RestartTimings } from './restart-policy.js';

export interface ComponentSpec {
  readonly name: string;
  /** Absolute path of the executable. */
  readonly binary: string;
  readonly args: readonly string[];
  /** Added to edgewatch's environment. */
  readonly env: Readonly<Record<string, string>>;
  /** host:port the component listens on; must be free at the first start. */
  readonly listenAddress: string;
  /** Answers 200 when the component is ready. */
  readonly healthUrl: string;
}

export type { Health };

export interface ComponentStatus {
  readonly name: string;
  /** Undefined while no process runs (waiting to restart, stopped). */
  readonly pid: number | undefined;
  readonly health: Health;
  /** Since the running process started; 0 when none runs. */
  readonly uptimeSeconds: number;
  readonly restarts: number;
  /** crashLoopRestarts failures in a row (default 5) with no run healthy for backoffResetMs between. */
  readonly crashLooping: boolean;
  /** When (ms since the epoch) and how the last run ended, if one has. */
  readonly lastExit: { readonly at: number; readonly reason: string } | undefined;
}

export interface SupervisorPolicy {
  /** How long a component may take to answer its health URL at the first start. */
  readonly startTimeoutMs: number;
  /** SIGTERM to SIGKILL at stop. Default: STOP_GRACE_MS. */
  readonly stopGraceMs?: number;
  /** Restart backoff and crash-loop detection. Default: DEFAULT_RESTART_TIMINGS. */
  readonly restart?: RestartTimings;
  /** The clock for uptimes, backoff resets and crash loops. Default: Date.now. */
  readonly now?: () => number;
  /** Restart and health-watch timers. Default: Node's, unref'd (they never hold the process). */
  readonly timers?: Timers;
}

/** The one timer a component has pending at a time: its restart backoff or its next health probe. */
export interface Timers {
  set(callback: () => void, ms: number): TimerHandle;
  clear(handle: TimerHandle | undefined): void;
}

export type TimerHandle = object;

export const nodeTimers: Timers = {
  set: (callback, ms) => setTimeout(callback, ms).unref(),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout | undefined),
};
