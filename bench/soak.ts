/**
 * Soak: one `edgewatch up` at its defaults, idle, for an hour (its data directory on a fresh
 * ext4 loop filesystem), sampling every component's memory (PSS, RSS), CPU and the device's
 * writes. Prints each component's memory slope (least squares after the first tenth of the run,
 * start-up's growth) with its standard error, so "no growth beyond noise" can be read off, and
 * writes docs/soak.svg: each component's own memory (RssAnon) over time. PSS is shown too, but
 * it also moves when other processes start or stop sharing the same binaries' pages.
 *
 *   npm run bench:soak                     # 60 min, a sample every 30 s
 *   node dist/bench/soak.js --short        # 3 min, every 5 s: for CI
 *   node dist/bench/soak.js --minutes=120 --variant=before,/tmp/old/bin/edgewatch
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeLoopFs } from './lib/loop-fs.js';
import { cpuMs, hardware, memory } from './lib/proc-stats.js';
import { parseVariant, startStack, type Variant } from './lib/stack-run.js';
import { markdownTable, parseArgs, sleep, stamp } from './lib/summary.js';
import { lineChart } from './lib/svg-chart.js';

const args = parseArgs(process.argv.slice(2));
const short = args.get('short') === 'true';
const minutes = Number(args.get('minutes') ?? (short ? 3 : 60));
const everyS = Number(args.get('every') ?? (short ? 5 : 30));
const root = fileURLToPath(new URL('../../', import.meta.url));
const chartFile = args.get('chart') ?? join(root, 'docs', short ? 'soak-short.svg' : 'soak.svg');
const given = args.all('variant').map(parseVariant);
const variant: Variant = given[0] ?? {
  name: 'defaults',
  bin: join(root, 'bin', 'edgewatch'),
  args: [],
  env: {},
};
const COMPONENTS = ['edgewatch', 'victoriametrics', 'vmalert'] as const;

interface Point {
  /** Hours since the first sample. */
  t: number;
  pss: number[];
  /** RssAnon: the process's own memory; PSS also moves when other processes start sharing its pages. */
  anon: number[];
  cpu: number[];
  device: number;
}

/** Least-squares slope of y over x, and its standard error. */
export function slope(points: readonly (readonly [number, number])[]): { slope: number; stderr: number } {
  const n = points.length;
  if (n < 3) return { slope: Number.NaN, stderr: Number.NaN };
  const mx = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  const sxx = points.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
  const b = points.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0) / sxx;
  const residual = points.reduce((s, p) => s + (p[1] - my - b * (p[0] - mx)) ** 2, 0);
  return { slope: b, stderr: Math.sqrt(residual / (n - 2) / sxx) };
}

async function main(): Promise<void> {
  const fs = makeLoopFs('/tmp/edgewatch-bench-soak', 2048);
  const dataDir = join(fs.mountPoint, 'data');
  mkdirSync(dataDir);
  const stack = await startStack(variant, dataDir).catch((err: unknown) => {
    fs.remove();
    throw err;
  });
  const points: Point[] = [];
  try {
    const pids = COMPONENTS.map((c) => stack.pids[c] as number);
    const start = performance.now();
    const samples = Math.floor((minutes * 60) / everyS) + 1;
    for (let i = 0; i < samples; i++) {
      const mem = pids.map((pid) => memory(pid));
      points.push({
        t: (performance.now() - start) / 3_600_000,
        pss: mem.map((m) => m.pssBytes / 1e6),
        anon: mem.map((m) => m.anonBytes / 1e6),
        cpu: pids.map((pid) => cpuMs(pid)),
        device: fs.writtenBytes(),
      });
      if (i < samples - 1) await sleep(start + (i + 1) * everyS * 1000 - performance.now());
    }
  } finally {
    await stack.stop();
    fs.remove();
  }
  const first = points[0] as Point;
  const last = points.at(-1) as Point;
  const hours = last.t - first.t;
  const steady = points.filter((p) => p.t >= hours / 10);
  // A plateau shows as a second half with no slope, whatever start-up's caches did before it.
  const secondHalf = points.filter((p) => p.t >= hours / 2);
  const rows = COMPONENTS.map((c, i) => {
    const pss = slope(steady.map((p) => [p.t, p.pss[i] as number]));
    const anon = slope(steady.map((p) => [p.t, p.anon[i] as number]));
    const anonLate = slope(secondHalf.map((p) => [p.t, p.anon[i] as number]));
    const cpuPerS = ((last.cpu[i] as number) - (first.cpu[i] as number)) / (hours * 3600);
    return [
      c,
      `${(first.anon[i] as number).toFixed(1)} → ${(last.anon[i] as number).toFixed(1)}`,
      `${anon.slope.toFixed(2)} ± ${anon.stderr.toFixed(2)}`,
      `${anonLate.slope.toFixed(2)} ± ${anonLate.stderr.toFixed(2)}`,
      `${(first.pss[i] as number).toFixed(1)} → ${(last.pss[i] as number).toFixed(1)}`,
      `${pss.slope.toFixed(2)} ± ${pss.stderr.toFixed(2)}`,
      cpuPerS.toFixed(2),
    ];
  });
  const writesPerDay = ((last.device - first.device) / 1e6) * (24 / hours);
  console.log(
    `Soak of ${variant.name}: ${(hours * 60).toFixed(0)} min idle at defaults, a sample every ${everyS} s; slopes are least squares over the last 90% ± standard error.`,
  );
  console.log(`${stamp(hardware())}; data directory on ext4 on a loop device.\n`);
  console.log(
    markdownTable(
      [
        'component',
        'RssAnon MB start → end',
        'RssAnon slope MB/h',
        'RssAnon slope, 2nd half, MB/h',
        'PSS MB start → end',
        'PSS slope MB/h',
        'CPU ms/s',
      ],
      rows,
    ),
  );
  console.log(`\nDevice writes over the run: ${writesPerDay.toFixed(0)} MB/day.`);
  writeFileSync(
    chartFile,
    lineChart(
      COMPONENTS.map((c, i) => ({
        label: `${c} RssAnon`,
        points: points.map((p) => [p.t * 60, p.anon[i] as number]),
      })),
      {
        title: `edgewatch up idle at defaults: own memory (RssAnon) per component, ${(hours * 60).toFixed(0)} min`,
        xLabel: 'minutes',
        yLabel: 'MB',
      },
    ),
  );
  console.log(`Chart: ${chartFile}`);
  // The raw samples, for another fit or chart without another hour of soaking.
  const pointsFile = chartFile.replace(/\.svg$/, '.json');
  writeFileSync(pointsFile, `${JSON.stringify({ components: COMPONENTS, points })}\n`);
  console.log(`Samples: ${pointsFile}`);
}

await main();
