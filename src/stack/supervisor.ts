/**
 * Runs the stack's components as child processes (each a SupervisedComponent): start each and
 * wait until its health URL answers, restart it with exponential backoff when it crashes or fails
 * to start, stop it with SIGTERM and then SIGKILL.
 *
 * Children must not outlive edgewatch, even when edgewatch is killed with SIGKILL and has no
 * chance to stop them: each is spawned through `setpriv --pdeathsig SIGTERM --`, which asks the
 * kernel (prctl PR_SET_PDEATHSIG, kept across exec) to send the child SIGTERM when the thread that
 * spawned it dies. Node spawns from its main thread, so that is when edgewatch dies.
 *
 * Children also get their own session (detached): Ctrl-C in a terminal signals the whole
 * foreground process group, which would stop every component at once instead of in reverse order.
 */
import { defineOptions } from '../config/option.js';
import type { Logger } from '../log/logger.js';
import { findExecutable } from './binary.js';
import type { RestartTimings } from './restart-policy.js';
import { SupervisedComponent } from './supervised-component.js';

export const supervisorOptions = defineOptions({
  startTimeout: {
    name: 'stack.start-timeout',
    kind: 'duration',
    unit: 'duration',
    default: 5000,
    min: 500,
    max: 300_000,
    description:
      'How long VictoriaMetrics and vmalert may each take to answer their health check at start. They take well under a second; one that has not answered by then is reported (log, /api/stack) and kept running, and one that exits is restarted with backoff, while the rest of the stack comes up.',
  },
});

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

import type { Health } from '../api/types.js';

export type { Health, SupervisedComponent };

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
}

export class Supervisor {
  readonly #components: SupervisedComponent[] = [];
  readonly #wrapper: readonly string[];

  constructor(
    private readonly log: Logger,
    private readonly policy: SupervisorPolicy,
  ) {
    const setpriv = findExecutable('setpriv');
    if (!setpriv) {
      log.warn(
        'setpriv not found: install util-linux, or components may outlive edgewatch when it is killed (SIGKILL, the OOM killer)',
      );
    }
    this.#wrapper = setpriv ? [setpriv, '--pdeathsig', 'SIGTERM', '--'] : [];
  }

  /**
   * Starts a component and resolves once it is healthy or its failure to start is reported
   * (and a retry scheduled); the handle stops it. Throws COMPONENT_START only when the
   * component's address is already taken.
   */
  async start(spec: ComponentSpec): Promise<SupervisedComponent> {
    const component = new SupervisedComponent(
      spec,
      this.#wrapper,
      this.policy,
      this.log.child({ component: spec.name }),
    );
    await component.start();
    this.#components.push(component);
    return component;
  }

  /** Every started component, in start order. */
  statuses(): ComponentStatus[] {
    return this.#components.map((c) => c.status());
  }
}
