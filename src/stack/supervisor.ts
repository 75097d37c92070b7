/**
 * Runs the stack's components as child processes: start each and wait until its health URL
 * answers, restart it with exponential backoff when it crashes, stop it with SIGTERM and then
 * SIGKILL.
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
import { EdgewatchError, ErrorCode, errorMessage } from '../errors.js';
import { parseListenAddress } from '../http/server.js';
import type { Logger } from '../log/logger.js';
import {
  describeExit,
  type ExitInfo,
  type RunningChild,
  spawnChild,
  stopChild,
} from '../process/child-runner.js';
import { findExecutable } from './binary.js';
import { isListening, probeHealth } from './health.js';
import { forwardLine, RecentLines, readLines } from './output.js';
import { RestartPolicy, type RestartTimings } from './restart-policy.js';

export const supervisorOptions = defineOptions({
  startTimeout: {
    name: 'stack.start-timeout',
    kind: 'duration',
    unit: 'duration',
    default: 5000,
    min: 500,
    max: 300_000,
    description:
      "How long VictoriaMetrics and vmalert may each take to answer their health check at start before edgewatch up gives up (exit 1, with the component's last output). They take well under a second; raise it for slow storage.",
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

export type { Health };

export interface ComponentStatus {
  readonly name: string;
  /** Undefined while no process runs (waiting to restart, stopped). */
  readonly pid: number | undefined;
  readonly health: Health;
  /** Since the running process started; 0 when none runs. */
  readonly uptimeSeconds: number;
  readonly restarts: number;
  /** Restarted crashLoopRestarts times within crashLoopWindowMs (default 5 times in 2 minutes). */
  readonly crashLooping: boolean;
}

export interface SupervisorPolicy {
  /** How long a component may take to answer its health URL at the first start. */
  readonly startTimeoutMs: number;
  /** SIGTERM to SIGKILL at stop. Default: STOP_GRACE_MS. */
  readonly stopGraceMs?: number;
  /** Restart backoff and crash-loop detection. Default: DEFAULT_RESTART_TIMINGS. */
  readonly restart?: RestartTimings;
}

/** Health polling while a component starts: fast enough that start-up is not padded by it. */
const START_POLL_MS = 50;
/** Health polling once healthy: `edgewatch status` and the component_up metric stay current. */
const WATCH_POLL_MS = 5000;
/** One probe's deadline. */
const PROBE_TIMEOUT_MS = 1000;
/** SIGTERM to SIGKILL: vmalert takes ~1.5 s to flush alert state, VictoriaMetrics ~0.1 s. */
const STOP_GRACE_MS = 5000;
/** Output lines kept per component; failure reports show the last FAILURE_LINES. */
const OUTPUT_LINES = 100;
const FAILURE_LINES = 20;

type Run = RunningChild;

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
   * Starts a component and resolves once it is healthy; the handle stops it. Throws
   * COMPONENT_START, after logging the command line and the component's last output lines,
   * when it exits or stays unhealthy for policy.startTimeoutMs.
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

export class SupervisedComponent {
  readonly output = new RecentLines(OUTPUT_LINES);
  #run: Run | undefined;
  #health: Health = 'stopped';
  #restarts = 0;
  readonly #policy: RestartPolicy;
  #healthySince: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** After the first healthy start: from then on an exit is a crash to restart from. */
  #supervising = false;
  #stopping = false;
  #crashLoopReported = false;

  constructor(
    readonly spec: ComponentSpec,
    private readonly wrapper: readonly string[],
    private readonly policy: SupervisorPolicy,
    private readonly log: Logger,
  ) {
    this.#policy = new RestartPolicy(policy.restart);
  }

  get name(): string {
    return this.spec.name;
  }

  /** The exact command, as a shell would take it: for failure reports. */
  get commandLine(): string {
    const env = Object.entries(this.spec.env).map(([k, v]) => `${k}=${shellQuote(v)}`);
    return [...env, ...[...this.wrapper, this.spec.binary, ...this.spec.args].map(shellQuote)].join(' ');
  }

  status(): ComponentStatus {
    const run = this.#run;
    const running = run !== undefined && run.exit === undefined;
    return {
      name: this.name,
      pid: running ? run.pid : undefined,
      health: this.#health,
      uptimeSeconds: running ? (Date.now() - run.startedAt) / 1000 : 0,
      restarts: this.#restarts,
      crashLooping: this.#policy.crashLooping(Date.now()),
    };
  }

  async start(): Promise<void> {
    const { host, port } = parseListenAddress(this.spec.listenAddress);
    if (await isListening(host, port)) {
      throw new EdgewatchError(
        ErrorCode.COMPONENT_START,
        `${this.name} cannot start: something already listens on ${this.spec.listenAddress} (another edgewatch or ${this.name}?)`,
      );
    }
    const began = performance.now();
    const run = this.#spawn();
    const outcome = await this.#waitHealthy(run, began + this.policy.startTimeoutMs);
    if (outcome === 'healthy') {
      this.#supervising = true;
      this.log.info('component healthy', { pid: run.pid, ms: Math.round(performance.now() - began) });
      return;
    }
    if (outcome === 'timeout') await this.#terminate(run);
    const exit = run.exit;
    const reason =
      outcome === 'timeout'
        ? `${this.spec.healthUrl} did not answer 200 within ${this.policy.startTimeoutMs} ms`
        : `it exited before becoming healthy (${describeExit(exit)})`;
    this.#health = 'stopped';
    this.log.error('component failed to start', {
      pid: run.pid,
      reason,
      command: this.commandLine,
      output: this.output.last(FAILURE_LINES),
    });
    throw new EdgewatchError(
      ErrorCode.COMPONENT_START,
      `${this.name} failed to start: ${reason}. Command: ${this.commandLine} (its last output is logged above)`,
    );
  }

  /** SIGTERM, then SIGKILL after policy.stopGraceMs. Cancels a pending restart. */
  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#timer);
    const run = this.#run;
    if (run && run.exit === undefined) await this.#terminate(run);
    this.#health = 'stopped';
  }

  #spawn(): Run {
    const [command, ...args] = [...this.wrapper, this.spec.binary, ...this.spec.args] as [
      string,
      ...string[],
    ];
    const run = spawnChild(command, args, {
      env: { ...process.env, ...this.spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const { child, exited } = run;
    const onLine = (line: string) => {
      this.output.push(line);
      forwardLine(this.log, line);
    };
    if (child.stdout) readLines(child.stdout, onLine);
    if (child.stderr) readLines(child.stderr, onLine);
    this.#run = run;
    this.#health = 'starting';
    exited.then((exit) => {
      this.#onExit(run, exit);
    });
    return run;
  }

  /** Polls the health URL until it answers 200, the process exits, or `deadline` (performance.now()) passes. */
  async #waitHealthy(
    run: Run,
    deadline = Number.POSITIVE_INFINITY,
  ): Promise<'healthy' | 'exited' | 'timeout'> {
    for (;;) {
      if (run.exit !== undefined || this.#stopping) return 'exited';
      if (await probeHealth(this.spec.healthUrl, PROBE_TIMEOUT_MS)) {
        if (run.exit !== undefined) return 'exited';
        this.#health = 'healthy';
        this.#healthySince = Date.now();
        this.#watch(run);
        return 'healthy';
      }
      if (performance.now() >= deadline) return 'timeout';
      await Promise.race([run.exited, delay(START_POLL_MS)]);
    }
  }

  /** Keeps probing a healthy component; changes of health are logged. */
  #watch(run: Run): void {
    this.#timer = setTimeout(async () => {
      if (run !== this.#run || run.exit !== undefined || this.#stopping) return;
      const healthy = await probeHealth(this.spec.healthUrl, PROBE_TIMEOUT_MS);
      if (run !== this.#run || run.exit !== undefined || this.#stopping) return;
      if (healthy && this.#health !== 'healthy') {
        this.log.info('component healthy again', { pid: run.pid });
        this.#healthySince = Date.now();
      } else if (!healthy && this.#health === 'healthy') {
        this.log.warn('component unhealthy', { pid: run.pid, url: this.spec.healthUrl });
        this.#healthySince = undefined;
      }
      this.#health = healthy ? 'healthy' : 'unhealthy';
      this.#watch(run);
    }, WATCH_POLL_MS);
    this.#timer.unref();
  }

  #onExit(run: Run, exit: ExitInfo): void {
    if (!this.#supervising || this.#stopping || run !== this.#run) return;
    clearTimeout(this.#timer);
    const now = Date.now();
    this.log.error('component exited', {
      pid: run.pid,
      exit: describeExit(exit),
      uptime_seconds: Math.round((now - run.startedAt) / 1000),
      output: this.output.last(FAILURE_LINES),
    });
    this.#health = 'unhealthy';
    const backoffMs = this.#policy.onCrash(now, this.#healthySince);
    this.#healthySince = undefined;
    this.log.info('restarting component', { in_ms: backoffMs, restarts: this.#restarts });
    this.#timer = setTimeout(() => {
      // A rejection here would end edgewatch (Node's default for unhandled rejections).
      this.#restart().catch((err: unknown) => this.log.error('restart failed', { error: errorMessage(err) }));
    }, backoffMs);
    this.#timer.unref();
  }

  async #restart(): Promise<void> {
    if (this.#stopping) return;
    const now = Date.now();
    this.#restarts++;
    this.#policy.onRestart(now);
    const looping = this.#policy.crashLooping(now);
    if (looping && !this.#crashLoopReported) {
      this.log.error('component is crash-looping', {
        restarts: this.#policy.recentRestarts(now),
        window_seconds: this.#policy.timings.crashLoopWindowMs / 1000,
        command: this.commandLine,
      });
    }
    this.#crashLoopReported = looping;
    const began = performance.now();
    const run = this.#spawn();
    const outcome = await this.#waitHealthy(run, began + this.policy.startTimeoutMs);
    if (outcome === 'healthy') {
      this.log.info('component healthy', {
        pid: run.pid,
        ms: Math.round(performance.now() - began),
        restarts: this.#restarts,
      });
    } else if (outcome === 'timeout') {
      // Still running, maybe recovering its data: keep it, and keep probing at the slower pace.
      this.log.warn('component not healthy after restart', { pid: run.pid, url: this.spec.healthUrl });
      this.#health = 'unhealthy';
      this.#watch(run);
    }
  }

  async #terminate(run: Run): Promise<void> {
    const graceMs = this.policy.stopGraceMs ?? STOP_GRACE_MS;
    await stopChild(run, graceMs, () =>
      this.log.warn('component ignored SIGTERM, killing it', { pid: run.pid, grace_ms: graceMs }),
    );
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
