import type { StackReportJson } from '../../api/types.js';
import { commonOptions } from '../../config/common-options.js';
import type { Config } from '../../config/load.js';
import { authOptions } from '../../http/auth.js';
import { webOptions } from '../../http/options.js';
import { fetchStackReport, StackUnreachableError } from '../../stack/stack-api.js';
import type { Command } from '../command.js';
import { megabytesCell, renderTable } from '../table.js';

/** What `status` and `budget` need to reach a running `edgewatch up`. */
export const stackClientOptions = [webOptions.listenAddress, authOptions.tokenFile, commonOptions.logLevel];

export const statusCommand: Command = {
  name: 'status',
  summary: 'Show the running stack: each component, its pid, health, uptime, restarts and memory.',
  description:
    'Asks the `edgewatch up` listening at web.listen-address for its components (GET /api/stack) and prints them as a table. Exits 1 when no edgewatch answers there.',
  options: stackClientOptions,
  async run(config) {
    const report = await readStack(config);
    if (!report) return 1;
    const rows = report.components.map((c) => [
      c.name,
      c.pid === null ? '-' : String(c.pid),
      c.crash_looping ? `${c.health} (crash loop)` : c.health,
      c.pid === null ? '-' : formatUptime(c.uptime_seconds),
      String(c.restarts),
      megabytesCell(c.memory.rss_bytes),
      megabytesCell(c.memory.pss_bytes),
    ]);
    process.stdout.write(
      renderTable(
        [
          { title: 'COMPONENT' },
          { title: 'PID', align: 'right' },
          { title: 'HEALTH' },
          { title: 'UPTIME', align: 'right' },
          { title: 'RESTARTS', align: 'right' },
          { title: 'RSS MB', align: 'right' },
          { title: 'PSS MB', align: 'right' },
        ],
        rows,
      ),
    );
    return 0;
  },
};

/** The report, or undefined after printing why it cannot be had. */
export async function readStack(config: Config): Promise<StackReportJson | undefined> {
  try {
    return await fetchStackReport(config.get(webOptions.listenAddress), config.get(authOptions.tokenFile));
  } catch (err) {
    if (!(err instanceof StackUnreachableError)) throw err;
    process.stderr.write(`edgewatch: ${err.message}\n`);
    return undefined;
  }
}

/** 45s, 12m3s, 5h2m, 3d4h: the two largest units, as `ps` and `docker ps` abbreviate. */
function formatUptime(seconds: number): string {
  const s = Math.floor(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86_400)}d${Math.floor((s % 86_400) / 3600)}h`;
}
