/**
 * GET /api/stack: the components, their health and memory against the budget. Served by
 * `edgewatch up`; read by `edgewatch status`, `edgewatch budget` and the dashboard's Stack view.
 */
import { readFileSync } from 'node:fs';
import type { StackReportJson, UplinkJson } from '../api/types.js';
import { allowanceOf, type BudgetPlan } from '../budget/plan.js';
import { errorMessage } from '../errors.js';
import type { MemoryUsage } from '../host/smaps.js';
import { sendJson } from '../http/respond.js';
import type { Route } from '../http/router.js';
import type { ComponentStatus } from './component-types.js';

export function stackReport(
  plan: BudgetPlan,
  statuses: readonly ComponentStatus[],
  memoryOf: (name: string) => MemoryUsage | undefined,
  uplinks: readonly UplinkJson[] = [],
): StackReportJson {
  return {
    budget_bytes: plan.budgetBytes,
    uplinks: [...uplinks],
    components: statuses.map((s) => {
      const memory = s.pid === undefined ? undefined : memoryOf(s.name);
      return {
        name: s.name,
        pid: s.pid ?? null,
        health: s.health,
        uptime_seconds: Math.round(s.uptimeSeconds * 10) / 10,
        restarts: s.restarts,
        crash_looping: s.crashLooping,
        last_exit: s.lastExit
          ? { at: new Date(s.lastExit.at).toISOString(), reason: s.lastExit.reason }
          : null,
        budget_bytes: allowanceOf(plan, s.name) ?? null,
        memory: { rss_bytes: memory?.rss ?? 0, pss_bytes: memory?.pss ?? 0, anon_bytes: memory?.anon ?? 0 },
      };
    }),
  };
}

export function stackRoute(report: () => StackReportJson): Route {
  return {
    name: 'stack',
    method: 'GET',
    path: '/api/stack',
    handler: (_req, res) => sendJson(res, 200, report()),
  };
}

/** Why /api/stack could not be read, worded for the operator at the terminal. */
export class StackUnreachableError extends Error {}

/** How long `edgewatch status` waits for an answer: edgewatch answers in milliseconds when it runs. */
const FETCH_TIMEOUT_MS = 3000;

/** Reads /api/stack from a running `edgewatch up`. Throws StackUnreachableError. */
export async function fetchStackReport(listenAddress: string, tokenFile: string): Promise<StackReportJson> {
  const url = `http://${listenAddress.replace(/^(0\.0\.0\.0|\[::\])?:/, '127.0.0.1:')}/api/stack`;
  const headers: Record<string, string> = {};
  if (tokenFile !== '') {
    try {
      headers.authorization = `Bearer ${readFileSync(tokenFile, 'utf8').trim()}`;
    } catch (err) {
      throw new StackUnreachableError(`cannot read --web.auth.token-file ${tokenFile}: ${errorMessage(err)}`);
    }
  }
  let res: Response;
  try {
    res = await fetch(url, { headers, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : errorMessage(err);
    throw new StackUnreachableError(
      `nothing answers at ${url} (${cause}): is \`edgewatch up\` running? Start it, or point --web.listen-address at where it listens`,
    );
  }
  if (res.status === 401) {
    throw new StackUnreachableError(
      `${url} needs credentials: set --web.auth.token-file to edgewatch's token file`,
    );
  }
  if (res.status === 404) {
    throw new StackUnreachableError(
      `${url} not found: the edgewatch there runs without the stack (\`edgewatch sensor\`?)`,
    );
  }
  if (!res.ok) throw new StackUnreachableError(`${url} answered ${res.status} ${await res.text()}`);
  return (await res.json()) as StackReportJson;
}
