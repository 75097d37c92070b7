/**
 * One supervised child process. Its state is one phase value; health, pid and uptime are derived
 * from it. The first start and every restart take the same path (#launch: spawn, wait until the
 * health URL answers, report), and every failure (a crash, or a start that exits) takes the same
 * way back: report, back off (restart-policy.ts), launch again. A start that does not become
 * healthy within the start timeout is reported but kept running and probed: VictoriaMetrics
 * opening a large data directory after a power cut can take longer than any fixed timeout.
 *
 * A failed first start no longer stops `edgewatch up`: a broken vmalert or rule file must not
 * take the sensors, the dashboard and storage down with it. It is reported (log, /api/stack) and
 * retried with backoff.
 */
import type { Health } from '../api/types.js';
import { EdgewatchError, ErrorCode, errorMessage } from '../errors.js';
import { parseListenAddress } from '../http/server.js';
import type { Logger } from '../log/logger.js';
import {
  commandLine,
  describeExit,
  type ExitInfo,
  type RunningChild,
  spawnChild,
  stopChild,
} from '../process/child-runner.js';
import {
  type ComponentSpec,
  type ComponentStatus,
  nodeTimers,
  type SupervisorPolicy,
  type TimerHandle,
  type Timers,
} from './component-types.js';
import { isListening, probeHealth } from './health.js';
import { LogForwarder, RecentLines, readLines } from './output.js';
import { RestartPolicy } from './restart-policy.js';

/** Health polling while a component starts: fast enough that start-up is not padded by it. */
const START_POLL_MS = 50;
/** Health polling once started: `edgewatch status` and the component_up metric stay current. */
const WATCH_POLL_MS = 5000;
/** One probe's deadline. */
const PROBE_TIMEOUT_MS = 1000;
/** SIGTERM to SIGKILL: vmalert takes ~1.5 s to flush alert state, VictoriaMetrics ~0.1 s. */
const STOP_GRACE_MS = 5000;
/** Output lines kept per run; failure reports show the last FAILURE_LINES. */
const OUTPUT_LINES = 100;
const FAILURE_LINES = 20;

type Phase =
  /** Added to the stack, not started yet: the components before it are still starting. */
  | { readonly kind: 'queued' }
  | { readonly kind: 'stopped' }
  | { readonly kind: 'starting'; readonly run: RunningChild; readonly spawnedAt: number }
  | {
      readonly kind: 'healthy';
      readonly run: RunningChild;
      readonly spawnedAt: number;
      readonly since: number;
    }
  | { readonly kind: 'unhealthy'; readonly run: RunningChild; readonly spawnedAt: number }
  /** No process: waiting out the backoff after a failure. */
  | { readonly kind: 'waiting'; readonly restartAt: number };

const HEALTH_OF: Record<Phase['kind'], Health> = {
  queued: 'starting',
  stopped: 'stopped',
  starting: 'starting',
  healthy: 'healthy',
  unhealthy: 'unhealthy',
  waiting: 'unhealthy',
};

export class SupervisedComponent {
  /** This run's output; cleared at each spawn so a crash report holds only the run that crashed. */
  readonly output = new RecentLines(OUTPUT_LINES);
  #phase: Phase = { kind: 'queued' };
  /** Launches after the first, successful or not. */
  #restarts = 0;
  #lastExit: { at: number; reason: string } | undefined;
  #timer: TimerHandle | undefined;
  readonly #timers: Timers;
  readonly #forwarder: LogForwarder;
  #stopRequested = false;
  #crashLoopReported = false;
  readonly #restartPolicy: RestartPolicy;
  readonly #now: () => number;

  constructor(
    readonly spec: ComponentSpec,
    private readonly wrapper: readonly string[],
    private readonly policy: SupervisorPolicy,
    private readonly log: Logger,
  ) {
    this.#restartPolicy = new RestartPolicy(policy.restart);
    this.#now = policy.now ?? Date.now;
    this.#timers = policy.timers ?? nodeTimers;
    this.#forwarder = new LogForwarder(log, this.#now);
  }

  get name(): string {
    return this.spec.name;
  }

  get commandLine(): string {
    return commandLine(this.spec.env, [...this.wrapper, this.spec.binary, ...this.spec.args]);
  }

  status(): ComponentStatus {
    const phase = this.#phase;
    const now = this.#now();
    const running = 'run' in phase ? phase : undefined;
    const healthySince = phase.kind === 'healthy' ? phase.since : undefined;
    return {
      name: this.name,
      pid: running?.run.pid,
      health: HEALTH_OF[phase.kind],
      uptimeSeconds: running ? (now - running.spawnedAt) / 1000 : 0,
      restarts: this.#restarts,
      crashLooping: this.#restartPolicy.crashLooping(now, healthySince),
      lastExit: this.#lastExit,
    };
  }

  /**
   * The first start: resolves once the component is healthy, or once its failure has been
   * reported and a retry scheduled. Throws COMPONENT_START only when its address is taken,
   * which is another edgewatch (or the packaged service) rather than a broken component.
   */
  async start(): Promise<void> {
    const { host, port } = parseListenAddress(this.spec.listenAddress);
    if (await isListening(host, port)) {
      throw new EdgewatchError(
        ErrorCode.COMPONENT_START,
        `${this.name} cannot start: something already listens on ${this.spec.listenAddress} (another edgewatch or ${this.name}?)`,
      );
    }
    await this.#launch();
  }

  /** SIGTERM, then SIGKILL after policy.stopGraceMs. Cancels a pending restart. */
  async stop(): Promise<void> {
    this.#stopRequested = true;
    this.#timers.clear(this.#timer);
    const phase = this.#phase;
    if ('run' in phase && phase.run.exit === undefined) await this.#terminate(phase.run);
    this.#phase = { kind: 'stopped' };
  }

  /** Spawn, wait until healthy or the start timeout, report. An exit is handled by #onExit. */
  async #launch(): Promise<void> {
    const began = performance.now();
    const run = this.#spawn();
    const outcome = await this.#waitHealthy(run, began + this.policy.startTimeoutMs);
    if (this.#stopRequested || this.#runOf(this.#phase) !== run || outcome === 'exited') return;
    const firstStart = this.#restarts === 0;
    if (outcome === 'healthy') {
      this.#phase = { kind: 'healthy', run, spawnedAt: this.#spawnedAt(), since: this.#now() };
      this.log.info('component healthy', {
        pid: run.pid,
        ms: Math.round(performance.now() - began),
        ...(firstStart ? {} : { restarts: this.#restarts }),
      });
    } else {
      this.#phase = { kind: 'unhealthy', run, spawnedAt: this.#spawnedAt() };
      const reason = `${this.spec.healthUrl} did not answer 200 within ${this.policy.startTimeoutMs} ms`;
      this.#report(firstStart ? 'component failed to start' : 'component not healthy after restart', run, {
        reason,
        still_running: 'kept running and probed; restarted if it exits',
      });
    }
    this.#watch(run);
  }

  #spawn(): RunningChild {
    const [command, ...args] = [...this.wrapper, this.spec.binary, ...this.spec.args] as [
      string,
      ...string[],
    ];
    this.output.clear();
    const run = spawnChild(command, args, {
      env: { ...process.env, ...this.spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const onLine = (line: string) => {
      this.output.push(line);
      this.#forwarder.forward(line);
    };
    if (run.child.stdout) readLines(run.child.stdout, onLine);
    if (run.child.stderr) readLines(run.child.stderr, onLine);
    this.#phase = { kind: 'starting', run, spawnedAt: this.#now() };
    run.exited.then((exit) => this.#onExit(run, exit));
    return run;
  }

  /** Polls the health URL until it answers 200, the process exits, or `deadline` (performance.now()) passes. */
  async #waitHealthy(run: RunningChild, deadline: number): Promise<'healthy' | 'exited' | 'timeout'> {
    for (;;) {
      if (run.exit !== undefined || this.#stopRequested) return 'exited';
      if (await probeHealth(this.spec.healthUrl, PROBE_TIMEOUT_MS)) {
        return run.exit === undefined ? 'healthy' : 'exited';
      }
      if (performance.now() >= deadline) return 'timeout';
      await Promise.race([run.exited, delay(START_POLL_MS)]);
    }
  }

  /** Keeps probing a started component; changes of health are logged. */
  #watch(run: RunningChild): void {
    this.#timer = this.#timers.set(async () => {
      const current = () =>
        !this.#stopRequested && this.#runOf(this.#phase) === run && run.exit === undefined;
      if (!current()) return;
      const healthy = await probeHealth(this.spec.healthUrl, PROBE_TIMEOUT_MS);
      if (!current()) return;
      const phase = this.#phase;
      if (healthy && phase.kind !== 'healthy') {
        this.log.info('component healthy again', { pid: run.pid });
        this.#phase = { kind: 'healthy', run, spawnedAt: this.#spawnedAt(), since: this.#now() };
      } else if (!healthy && phase.kind === 'healthy') {
        this.log.warn('component unhealthy', { pid: run.pid, url: this.spec.healthUrl });
        this.#phase = { kind: 'unhealthy', run, spawnedAt: phase.spawnedAt };
      }
      this.#watch(run);
    }, WATCH_POLL_MS);
  }

  /** Any exit that edgewatch did not ask for: report it, back off, launch again. */
  #onExit(run: RunningChild, exit: ExitInfo): void {
    const phase = this.#phase;
    if (this.#stopRequested || this.#runOf(phase) !== run) return;
    this.#timers.clear(this.#timer);
    const now = this.#now();
    const reason = describeExit(exit);
    this.#lastExit = { at: now, reason };
    const spawnedAt = 'spawnedAt' in phase ? phase.spawnedAt : now;
    if (phase.kind === 'starting' && this.#restarts === 0) {
      this.#report('component failed to start', run, {
        reason: `it exited before becoming healthy (${reason})`,
      });
    } else {
      this.#report('component exited', run, {
        exit: reason,
        uptime_seconds: Math.round((now - spawnedAt) / 1000),
      });
    }
    const backoffMs = this.#restartPolicy.onFailure(now, phase.kind === 'healthy' ? phase.since : undefined);
    this.#phase = { kind: 'waiting', restartAt: now + backoffMs };
    this.log.info('restarting component', { in_ms: backoffMs, restarts: this.#restarts });
    this.#timer = this.#timers.set(() => {
      // A rejection here would end edgewatch (Node's default for unhandled rejections).
      this.#restart().catch((err: unknown) => this.log.error('restart failed', { error: errorMessage(err) }));
    }, backoffMs);
  }

  async #restart(): Promise<void> {
    if (this.#stopRequested) return;
    this.#restarts++;
    const looping = this.#restartPolicy.crashLooping(this.#now(), undefined);
    if (looping && !this.#crashLoopReported) {
      this.log.error('component is crash-looping', {
        failures_in_a_row: this.#restartPolicy.failuresInARow,
        command: this.commandLine,
      });
    }
    this.#crashLoopReported = looping;
    await this.#launch();
  }

  #report(msg: string, run: RunningChild, fields: Record<string, unknown>): void {
    this.log.error(msg, {
      pid: run.pid,
      ...fields,
      command: this.commandLine,
      output: this.output.last(FAILURE_LINES),
    });
  }

  #runOf(phase: Phase): RunningChild | undefined {
    return 'run' in phase ? phase.run : undefined;
  }

  #spawnedAt(): number {
    const phase = this.#phase;
    return 'spawnedAt' in phase ? phase.spawnedAt : this.#now();
  }

  async #terminate(run: RunningChild): Promise<void> {
    const graceMs = this.policy.stopGraceMs ?? STOP_GRACE_MS;
    await stopChild(run, graceMs, {
      onKill: () =>
        this.log.warn('component ignored SIGTERM, killing it', { pid: run.pid, grace_ms: graceMs }),
    });
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
