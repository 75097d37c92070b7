/**
 * How the non-sensor sampling jobs (host, process, component memory, the stack's own alerts)
 * fare: a failure counter and the time of the last complete run, per job. Without them a job
 * whose reads fail or hang is visible only as series that vanished (their values are dropped
 * rather than served stale). Sensors count theirs in sensor_read_errors_total and
 * sensor_last_success_timestamp_seconds.
 *
 * A failing job is logged when it starts failing and when it recovers, not at every run: a
 * broken /proc file would otherwise write four lines a minute for as long as it stays broken.
 */
import type { Logger } from '../log/logger.js';
import type { ExpositionFormat } from '../metrics/exposition.js';
import { CounterFamily, FamilyGroup, GaugeFamily, type Series } from '../metrics/metric.js';
import type { Collector } from '../metrics/registry.js';
import type { SampleJob } from './sampler.js';

export class JobHealthCollector implements Collector {
  readonly #failures = new CounterFamily<'job'>({
    name: 'edgewatch_sample_failures_total',
    help: 'Runs of a sampling job (host, process, component-memory, stack-alerts) that failed or timed out, wholly or in part.',
    labelNames: ['job'],
  });
  readonly #lastSuccess = new GaugeFamily<'job'>({
    name: 'edgewatch_sample_last_success_timestamp_seconds',
    help: 'Unix time of the last run of a sampling job that read everything.',
    labelNames: ['job'],
  });
  readonly #families = new FamilyGroup([this.#failures, this.#lastSuccess]);

  constructor(
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** `job`, counted: its failures (including timeouts) and its last complete run. */
  track(job: SampleJob): SampleJob {
    const labels = { job: job.name };
    const failures: Series = this.#failures.series(labels);
    let failingSince: number | undefined;
    return {
      ...job,
      run: async (signal) => {
        await job.run(signal);
        if (signal.aborted) return;
        this.#lastSuccess.series(labels).value = this.now() / 1000;
        if (failingSince !== undefined) {
          this.log.info('sample recovered', { job: job.name, failed_for_ms: this.now() - failingSince });
          failingSince = undefined;
        }
      },
      failed: (error, now) => {
        failures.value++;
        if (failingSince === undefined) {
          failingSince = now;
          this.log.warn('sample failed', { job: job.name, error });
        }
        job.failed?.(error, now);
      },
    };
  }

  collect(out: string, format: ExpositionFormat): string {
    return this.#families.collect(out, format);
  }
}
