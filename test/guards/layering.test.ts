/**
 * The floors of ARCHITECTURE.md, checked on the real import graph by scripts/check-imports.mjs:
 * no circle, no import up a floor, src/metrics a pure library. The checker is also run on a
 * small tree with the defects it exists for (the budget<->stack circle this layout removed, a
 * domain import in src/metrics), so a checker that finds nothing cannot pass unnoticed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers/edgewatch.js';

const script = join(repoRoot, 'scripts', 'check-imports.mjs');

function check(root?: string) {
  const result = spawnSync(process.execPath, [script, ...(root ? [root] : [])], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('import graph', () => {
  it('has no circle, no import up a floor, and a pure src/metrics', () => {
    const { status, output } = check();
    assert.equal(status, 0, output);
  });

  it('is checked by a checker that finds circles, upward imports and impure metrics', () => {
    const root = mkdtempSync(join(tmpdir(), 'ew-layers-'));
    try {
      const files: Record<string, string> = {
        'src/budget/plan.ts': "import type { ComponentName } from '../stack/components.js';\n",
        'src/stack/components.ts': "import { planBudget } from '../budget/plan.js';\n",
        'src/metrics/collectors/sensor-collector.ts':
          "import type { SensorStatus } from '../../sensor/sensor-status.js';\n",
        'src/sensor/sensor-status.ts': "import { escapeLabelValue } from '../metrics/exposition.js';\n",
        'src/metrics/exposition.ts': 'export {};\n',
        'src/http/app.ts': "import { runVerify } from '../verify/verify.js';\n",
        'src/verify/verify.ts': 'export {};\n',
        'src/attic/old.ts': 'export {};\n',
        'dashboard/src/main.ts': "import { Supervisor } from '../../src/stack/components.js';\n",
      };
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), text);
      }
      const { status, output } = check(root);
      assert.equal(status, 1, output);
      for (const expected of [
        'rooms import each other in a circle: budget, stack',
        'modules import each other in a circle: src/budget/plan.ts, src/stack/components.ts',
        'src/budget/plan.ts imports src/stack/components.ts: up from libraries (budget) to domains (stack)',
        'src/metrics/collectors/sensor-collector.ts imports src/sensor/sensor-status.ts: src/metrics is a pure library',
        'src/http/app.ts imports src/verify/verify.ts: up from domains (http) to tools (verify)',
        'room "attic" is on no floor',
        'dashboard/src/main.ts imports src/stack/components.ts: the dashboard may take only libraries',
      ]) {
        assert.ok(output.includes(expected), `missing "${expected}" in:\n${output}`);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
