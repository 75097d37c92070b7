// Builds the browser dashboard (dashboard/) into dist/dashboard/: typechecks it with its own
// tsconfig (DOM types, kept out of the server's), bundles and minifies the TypeScript, uPlot and
// the CSS with esbuild into content-hashed files, writes index.html pointing at them, writes
// queries.json (every PromQL query, for the query test) and fails when the gzipped total passes
// the size budget. Called by `npm run build` after tsc.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const src = join(root, 'dashboard');
const out = join(root, 'dist', 'dashboard');
/** Everything the browser downloads, gzipped. uPlot alone is ~22 KB. */
const BUDGET_GZIP_BYTES = 150 * 1024;

function typecheck() {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(src, 'tsconfig.json')], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('dashboard typecheck failed');
}

async function bundle() {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [join(src, 'src', 'main.ts')],
    outdir: join(out, 'assets'),
    entryNames: 'app-[hash]',
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2020'],
    metafile: true,
    logLevel: 'warning',
  });
  const [file, meta] = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint !== undefined);
  if (!meta.cssBundle) throw new Error('esbuild wrote no CSS bundle');
  return { js: `/assets/${basename(file)}`, css: `/assets/${basename(meta.cssBundle)}` };
}

/** A pure module of the dashboard evaluated at build time (no DOM): its exports. */
async function evaluate(file) {
  const result = await build({
    entryPoints: [join(src, 'src', file)],
    bundle: true,
    format: 'esm',
    write: false,
    logLevel: 'warning',
  });
  const code = result.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

/**
 * The Grafana dashboards from grafana.ts (the same queries) and grafana-fleet.ts, for
 * test/dashboard/grafana.test.ts to compare with the shipped deploy/grafana/dashboards/edgewatch.json
 * and deploy/central/grafana/dashboards/fleet.json.
 */
async function writeGrafana() {
  const { grafanaDashboard } = await evaluate('grafana.ts');
  writeFileSync(join(out, 'grafana.json'), `${JSON.stringify(grafanaDashboard(), null, 2)}\n`);
  const { fleetDashboard } = await evaluate('grafana-fleet.ts');
  writeFileSync(join(out, 'grafana-fleet.json'), `${JSON.stringify(fleetDashboard(), null, 2)}\n`);
}

/** queries.ts evaluated at build time, so tests read the list without a DOM or a bundler. */
async function writeQueries() {
  const result = await build({
    entryPoints: [join(src, 'src', 'queries.ts')],
    bundle: true,
    format: 'esm',
    write: false,
    logLevel: 'warning',
  });
  const code = result.outputFiles[0].text;
  const { charts, hostQueries } = await import(
    `data:text/javascript;base64,${Buffer.from(code).toString('base64')}`
  );
  writeFileSync(join(out, 'queries.json'), `${JSON.stringify({ charts, host: hostQueries }, null, 2)}\n`);
}

function report() {
  const files = ['index.html', ...readdirSync(join(out, 'assets')).map((f) => join('assets', f))];
  let total = 0;
  for (const file of files) {
    const body = readFileSync(join(out, file));
    const gz = gzipSync(body, { level: 9 }).length;
    total += gz;
    console.log(
      `  ${file.padEnd(32)} ${String(body.length).padStart(8)} B  ${String(gz).padStart(7)} B gzip`,
    );
  }
  console.log(`  ${'total'.padEnd(32)} ${''.padStart(10)}  ${String(total).padStart(7)} B gzip`);
  if (total > BUDGET_GZIP_BYTES) {
    throw new Error(`dashboard is ${total} B gzipped; the budget is ${BUDGET_GZIP_BYTES} B`);
  }
}

try {
  typecheck();
  // Old hashed files would otherwise pile up and be loaded into memory by the server. Only
  // assets/ goes: dist/dashboard/src/ holds tsc's output of the pure modules the unit tests import.
  rmSync(join(out, 'assets'), { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const { js, css } = await bundle();
  const html = readFileSync(join(src, 'index.html'), 'utf8').replace('%JS%', js).replace('%CSS%', css);
  writeFileSync(join(out, 'index.html'), html);
  await writeQueries();
  await writeGrafana();
  console.log('dashboard built in dist/dashboard:');
  report();
} catch (err) {
  console.error(`build-dashboard: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
}
