/**
 * A linear lifecycle, as VictoriaMetrics' binaries have: start steps in order, wait for a signal,
 * stop in reverse order, and log how long each step took.
 */
import type { Logger } from './log/logger.js';

export class Lifecycle {
  readonly #stops: Array<{ name: string; stop: () => Promise<void> | void }> = [];

  constructor(private readonly log: Logger) {}

  /** Runs a start step; `stop`, if given, runs at shutdown in reverse order. */
  async start<T>(
    name: string,
    start: () => Promise<T> | T,
    stop?: (value: T) => Promise<void> | void,
  ): Promise<T> {
    const began = performance.now();
    const value = await start();
    this.log.debug('started', { step: name, ms: Math.round(performance.now() - began) });
    if (stop) this.#stops.push({ name, stop: () => stop(value) });
    return value;
  }

  /** Resolves with the first SIGINT or SIGTERM. */
  waitForSignal(): Promise<NodeJS.Signals> {
    return new Promise((resolve) => {
      const onSignal = (signal: NodeJS.Signals) => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        resolve(signal);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    });
  }

  async stop(): Promise<void> {
    while (this.#stops.length > 0) {
      const { name, stop } = this.#stops.pop()!;
      const began = performance.now();
      try {
        await stop();
        this.log.info('stopped', { step: name, ms: Math.round(performance.now() - began) });
      } catch (err) {
        this.log.error('stop failed', { step: name, error: err instanceof Error ? err : String(err) });
      }
    }
  }
}
