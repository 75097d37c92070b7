// Runs every compiled test file with node's test runner. Node 20 takes no globs, so the files
// are listed here. A global per-test timeout keeps a stuck test from hanging CI.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = 'dist/test';
const filter = process.argv.slice(2);

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' || entry.name === 'helpers' ? [] : find(path);
    return entry.name.endsWith('.test.js') ? [path] : [];
  });
}

const files = find(root)
  .filter((f) => filter.length === 0 || filter.some((part) => f.includes(part)))
  .sort();
if (files.length === 0) {
  console.error(`run-tests: no test files under ${root} match ${filter.join(' ')}`);
  process.exit(1);
}
const child = spawn(
  process.execPath,
  ['--test', '--test-timeout=180000', `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`, ...files],
  { stdio: ['inherit', 'pipe', 'inherit'] },
);
// Tests skip what the machine lacks (chromium, root for cgroups). In CI nothing may be lacking:
// a skipped test there is a missing install step, not a pass.
let tail = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  tail = (tail + chunk).slice(-4096);
});
child.on('exit', (code) => {
  const skipped = Number(/^# skipped (\d+)$/m.exec(tail)?.[1] ?? 0);
  if (code === 0 && skipped > 0 && process.env.CI) {
    console.error(`run-tests: ${skipped} test(s) skipped in CI; every test must run there`);
    process.exit(1);
  }
  process.exit(code ?? 1);
});
