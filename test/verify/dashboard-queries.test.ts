/**
 * The fit check drives VictoriaMetrics with the dashboard's own queries, read from the list the
 * build writes, so what `edgewatch verify` measures is what the page asks for.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EdgewatchError, ErrorCode } from '../../src/errors.js';
import { readDashboardQueries } from '../../src/verify/dashboard-queries.js';
import { dashboardQueries } from '../dashboard/harness.js';

describe('the fit check reads the dashboard query list', () => {
  it('is every expression the dashboard draws, each once', async () => {
    const drawn = [...new Set((await dashboardQueries()).map((q) => q.expr))];
    assert.deepEqual(readDashboardQueries(), drawn);
    // Charts the fit check's old list of its own left out.
    for (const expr of ['node_filesystem_avail_bytes', 'edgewatch_memory_budget_bytes', 'up']) {
      assert.ok(readDashboardQueries().includes(expr), expr);
    }
  });

  it('fails with exit code 2 and how to fix it when the dashboard is not built', () => {
    assert.throws(
      () => readDashboardQueries('/nonexistent/queries.json'),
      (err: unknown) =>
        err instanceof EdgewatchError &&
        err.code === ErrorCode.BINARY_MISSING &&
        err.exitCode === 2 &&
        err.message.includes('/nonexistent/queries.json') &&
        err.message.includes('npm run build'),
    );
  });
});
