/**
 * The PromQL expressions the dashboard draws, read from the list the build writes
 * (dist/dashboard/queries.json, evaluated from dashboard/src/queries.ts): the fit check loads
 * VictoriaMetrics with exactly what the page asks, never with a list of its own that drifts.
 */
import { readFileSync } from 'node:fs';
import { EdgewatchError, ErrorCode } from '../errors.js';
import { packagePath } from '../paths.js';

interface BuiltQueries {
  charts?: Array<{ queries?: Array<{ expr?: unknown }> }>;
}

/** Every distinct expression, in the dashboard's order. BINARY_MISSING when the dashboard is not built. */
export function readDashboardQueries(file = packagePath('dist/dashboard/queries.json')): string[] {
  let built: BuiltQueries;
  try {
    built = JSON.parse(readFileSync(file, 'utf8')) as BuiltQueries;
  } catch (err) {
    throw new EdgewatchError(
      ErrorCode.BINARY_MISSING,
      `the dashboard's query list ${file} cannot be read (${(err as Error).message}): build edgewatch with \`npm run build\``,
    );
  }
  const exprs = (built.charts ?? []).flatMap((chart) => (chart.queries ?? []).map((q) => q.expr));
  const queries = [...new Set(exprs.filter((e): e is string => typeof e === 'string' && e !== ''))];
  if (queries.length === 0) {
    throw new EdgewatchError(
      ErrorCode.BINARY_MISSING,
      `${file} lists no queries: rebuild with \`npm run build\``,
    );
  }
  return queries;
}
