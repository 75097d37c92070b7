import { budgetOptions } from '../../budget/plan.js';
import { commonOptions } from '../../config/common-options.js';
import { configFileOptions } from '../../config/load.js';
import { defineOptions } from '../../config/option.js';
import { createLogger } from '../../log/logger.js';
import { runVerify, VerifyInterrupted } from '../../verify/verify.js';
import { formatReport } from '../../verify/verify-report.js';
import type { Command } from '../command.js';

/** Named as the box is described (`--memory 500M --cpus 2`): verify has no other memory or CPU. */
export const verifyOptions = defineOptions({
  memory: {
    name: 'memory',
    kind: 'bytes',
    default: 500 * 1024 ** 2,
    // Below what the stack needs (~33 MB peak at idle since its own series are slimmed), so a box
    // too small can be shown to fail.
    min: 16 * 1024 ** 2,
    description:
      "The box's memory: the stack runs in a cgroup with this limit (and no swap). Exceeding it means OOM kills.",
  },
  cpus: {
    name: 'cpus',
    kind: 'number',
    unit: 'CPUs',
    default: 2,
    min: 0.01,
    description: "The box's CPUs: the cgroup's CPU quota, e.g. 2, or 0.5 for half a core.",
  },
  duration: {
    name: 'duration',
    kind: 'duration',
    default: 60_000,
    min: 1000,
    description: 'How long to drive load once the stack is healthy.',
  },
  json: {
    name: 'json',
    kind: 'bool',
    default: false,
    description: 'Print the report as JSON instead of a table.',
  },
});

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'Check that the stack fits a box of a given memory and CPU size, under load (needs root).',
  description:
    "Starts `edgewatch up` on free loopback ports with temporary storage inside a cgroup with --memory and --cpus (cgroup v2, or v1), waits until it is healthy, then for --duration scrapes /metrics and /sensor as fast as the CPU quota allows and asks VictoriaMetrics for dashboard range queries every second. Reports the peak memory as docker stats counts it (usage minus inactive file cache), the raw peak, each component's PSS, OOM kills, failed requests and VictoriaMetrics' own scrape success. PASS (exit 0) needs the docker-stats peak within budget.memory, no OOM kill and no failed request or scrape; otherwise FAIL (exit 1). MB in the report are 10^6 bytes. The cgroup and the temporary data are removed at the end. --config.file is passed on to `edgewatch up`, so your own configuration is what gets verified, except that its remote_write endpoints are replaced by a sink on loopback that discards what vmagent sends: vmagent runs with as many endpoints and queues, and nothing of the run's synthetic data reaches a real central.",
  options: [...Object.values(verifyOptions), budgetOptions.memory, commonOptions.logLevel],
  async run(config) {
    const log = createLogger({ level: config.get(commonOptions.logLevel) });
    // Ctrl-C ends the load early and still removes the cgroup; a second one is not needed.
    const controller = new AbortController();
    const onSignal = () => controller.abort();
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      const report = await runVerify(
        {
          memoryBytes: config.get(verifyOptions.memory),
          cpus: config.get(verifyOptions.cpus),
          durationMs: config.get(verifyOptions.duration),
          budgetBytes: config.get(budgetOptions.memory),
          configFile: config.get(configFileOptions.file),
        },
        log,
        controller.signal,
      );
      process.stdout.write(
        config.get(verifyOptions.json) ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report),
      );
      return report.pass ? 0 : 1;
    } catch (err) {
      if (!(err instanceof VerifyInterrupted)) throw err;
      log.warn('verify interrupted; the stack was stopped and the cgroup removed');
      return 130;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};
