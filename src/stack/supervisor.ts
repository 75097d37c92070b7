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
import type { ComponentSpec, ComponentStatus, SupervisorPolicy } from './component-types.js';
import { SupervisedComponent } from './supervised-component.js';

export const supervisorOptions = defineOptions({
  startTimeout: {
    name: 'stack.start-timeout',
    kind: 'duration',
    default: 5000,
    min: 500,
    max: 300_000,
    description:
      'How long VictoriaMetrics and vmalert may each take to answer their health check at start. They take well under a second; one that has not answered by then is reported (log, /api/stack) and kept running, and one that exits is restarted with backoff, while the rest of the stack comes up.',
  },
});

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
   * Lists a component before it starts, as `starting`: /api/stack then shows the whole stack
   * from the moment edgewatch answers, not only the components whose start has finished (a
   * client waiting for "every component healthy" would otherwise see only edgewatch and stop
   * waiting while VictoriaMetrics still starts).
   */
  add(spec: ComponentSpec): SupervisedComponent {
    const component = new SupervisedComponent(
      spec,
      this.#wrapper,
      this.policy,
      this.log.child({ component: spec.name }),
    );
    this.#components.push(component);
    return component;
  }

  /**
   * Starts a component (the one added under its name, else a new one) and resolves once it is
   * healthy or its failure to start is reported (and a retry scheduled); the handle stops it.
   * Throws COMPONENT_START only when the component's address is already taken.
   */
  async start(spec: ComponentSpec): Promise<SupervisedComponent> {
    const component = this.#components.find((c) => c.name === spec.name) ?? this.add(spec);
    await component.start();
    return component;
  }

  /** Every added component, in start order. */
  statuses(): ComponentStatus[] {
    return this.#components.map((c) => c.status());
  }
}
