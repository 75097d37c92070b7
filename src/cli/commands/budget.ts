import { formatBytes } from '../../config/units.js';
import type { Command } from '../command.js';
import { megabytesCell, renderTable } from '../table.js';
import { readStack, stackClientOptions } from './status.js';

export const budgetCommand: Command = {
  name: 'budget',
  summary: "Compare the running stack's memory (PSS) with budget.memory: PASS or OVER.",
  description:
    "Asks the `edgewatch up` listening at web.listen-address for its components' memory (GET /api/stack, sampled every host.interval) and prints RSS, PSS and anonymous memory per component, each one's share of the budget, and the total. Exits 0 when the total PSS is within budget.memory, 1 when it is over or no edgewatch answers.",
  options: stackClientOptions,
  async run(config) {
    const report = await readStack(config);
    if (!report) return 1;
    const budget = report.budget_bytes;
    const share = (bytes: number) => `${((bytes / budget) * 100).toFixed(1)}%`;
    const rows = report.components.map((c) => {
      const { rss_bytes: rss, pss_bytes: pss, anon_bytes: anon } = c.memory;
      const allowance = c.budget_bytes;
      return [
        c.name,
        megabytesCell(rss),
        megabytesCell(pss),
        megabytesCell(anon),
        share(pss),
        megabytesCell(allowance),
        allowance !== null && pss > allowance ? 'OVER' : '',
      ];
    });
    const total = (key: 'rss_bytes' | 'pss_bytes' | 'anon_bytes') =>
      report.components.reduce((sum, c) => sum + c.memory[key], 0);
    const pss = total('pss_bytes');
    rows.push([
      'total',
      megabytesCell(total('rss_bytes')),
      megabytesCell(pss),
      megabytesCell(total('anon_bytes')),
      share(pss),
      megabytesCell(budget),
      '',
    ]);
    process.stdout.write(
      renderTable(
        [
          { title: 'COMPONENT' },
          { title: 'RSS MB', align: 'right' },
          { title: 'PSS MB', align: 'right' },
          { title: 'ANON MB', align: 'right' },
          { title: 'OF BUDGET', align: 'right' },
          { title: 'ALLOWANCE MB', align: 'right' },
          { title: '' },
        ],
        rows,
      ),
    );
    const over = pss > budget;
    process.stdout.write(
      `\nbudget.memory ${formatBytes(budget)} (${megabytesCell(budget)} MB): ${over ? 'OVER' : 'PASS'}, ${megabytesCell(pss)} MB PSS in use (${share(pss)})\n`,
    );
    return over ? 1 : 0;
  },
};
