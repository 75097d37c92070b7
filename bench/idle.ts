/**
 * Idle CPU of the whole stack, per component, side by side with Netdata (the peer, when
 * installed) in the same windows: every variant's `edgewatch up` and Netdata run at once, idle,
 * and each window reads every process's CPU time (all threads, /proc/<pid>/task/<tid>/schedstat:
 * nanoseconds, where /proc/<pid>/stat only has 10 ms ticks). Medians over the windows, the range
 * beside them; the PSS of each component at the end, so a CPU saving that costs memory shows.
 *
 *   npm run bench:idle                     # 5 windows of 120 s after 60 s settling
 *   node dist/bench/idle.js --short        # 3 windows of 20 s
 *   node dist/bench/idle.js --variant=before,/tmp/old/bin/edgewatch --variant=now,bin/edgewatch
 *
 * --variant as in bench/flash.ts; without any, this build at its defaults. --no-netdata leaves
 * the peer out.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuMs, hardware, memory } from './lib/proc-stats.js';
import { parseVariant, type RunningStack, startStack, type Variant } from './lib/stack-run.js';
import { markdownTable, parseArgs, ratio, sleep, spread, stamp } from './lib/summary.js';
import { netdataAvailable, netdataVersion, type RunningNetdata, startNetdata } from './peers/netdata.js';

const args = parseArgs(process.argv.slice(2));
const short = args.get('short') === 'true';
const windowS = Number(args.get('window') ?? (short ? 20 : 120));
const settleS = Number(args.get('settle') ?? (short ? 20 : 60));
const rounds = Number(args.get('rounds') ?? (short ? 3 : 5));
const withNetdata = args.get('no-netdata') !== 'true' && netdataAvailable();
const bin = fileURLToPath(new URL('../../bin/edgewatch', import.meta.url));
const given = args.all('variant').map(parseVariant);
const variants: Variant[] = given.length > 0 ? given : [{ name: 'defaults', bin, args: [], env: {} }];
// vmagent only where the variant runs it (remote_write endpoints): 0 elsewhere.
const COMPONENTS = ['edgewatch', 'victoriametrics', 'vmalert', 'vmagent'] as const;
const pidsOf = (pid: number | undefined): number[] => (pid === undefined ? [] : [pid]);

/** CPU ms of each pid that exists; a pid gone since is 0 (its share is lost, not negative). */
function cpuOf(pids: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      out.set(pid, cpuMs(pid));
    } catch {
      // Exited.
    }
  }
  return out;
}

/** CPU ms spent between two readings by the processes in both (or started since). */
function spent(before: Map<number, number>, after: Map<number, number>): number {
  let ms = 0;
  for (const [pid, t] of after) ms += t - (before.get(pid) ?? 0);
  return ms;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'edgewatch-bench-idle-'));
  // Netdata drops root for its own user, which must reach its directories in here.
  chmodSync(dir, 0o755);
  const stacks: RunningStack[] = [];
  let netdata: RunningNetdata | undefined;
  try {
    for (const [i, variant] of variants.entries()) stacks.push(await startStack(variant, join(dir, `s${i}`)));
    if (withNetdata) netdata = await startNetdata(join(dir, 'netdata'));
    await sleep(settleS * 1000);
    // cpu[variant][component] = ms/s per window
    const cpu = variants.map(() => new Map<string, number[]>(COMPONENTS.map((c) => [c, []])));
    const peer: number[] = [];
    for (let round = 0; round < rounds; round++) {
      // Fresh pids each window: a component restarted meanwhile has a new one.
      const now = await Promise.all(stacks.map((s) => s.current()));
      const before = now.map((n) => COMPONENTS.map((c) => cpuOf(pidsOf(n.pids[c]))));
      const peerBefore = netdata ? cpuOf(netdata.pids()) : new Map<number, number>();
      const started = performance.now();
      await sleep(windowS * 1000);
      const seconds = (performance.now() - started) / 1000;
      for (const [i, n] of now.entries()) {
        for (const [j, c] of COMPONENTS.entries()) {
          const b = before[i]?.[j] as Map<number, number>;
          cpu[i]?.get(c)?.push(spent(b, cpuOf(pidsOf(n.pids[c]))) / seconds);
        }
      }
      if (netdata) peer.push(spent(peerBefore, cpuOf(netdata.pids())) / seconds);
      console.error(`window ${round + 1}/${rounds} done`);
    }
    const totals = cpu.map((byComponent) =>
      Array.from({ length: rounds }, (_, r) =>
        COMPONENTS.reduce((sum, c) => sum + (byComponent.get(c)?.[r] ?? 0), 0),
      ),
    );
    const last = await Promise.all(stacks.map((s) => s.current()));
    const pss = last.map((n) =>
      COMPONENTS.map((c) => (n.pids[c] === undefined ? 0 : memory(n.pids[c] as number).pssBytes / 1e6)),
    );
    const rows = variants.map((v, i) => [
      v.name,
      ...COMPONENTS.map((c) => spread(cpu[i]?.get(c) ?? [], 2)),
      spread(totals[i] ?? [], 2),
      ratio(totals[i] ?? [], totals[0]),
      withNetdata ? ratio(totals[i] ?? [], peer) : '—',
      (pss[i] ?? []).map((mb) => mb.toFixed(1)).join(' / '),
    ]);
    if (netdata) {
      const ndPss = netdata.pids().reduce((sum, pid) => {
        try {
          return sum + memory(pid).pssBytes / 1e6;
        } catch {
          return sum;
        }
      }, 0);
      rows.push([
        `${netdataVersion()} (peer, all its processes)`,
        '',
        '',
        '',
        spread(peer, 2),
        ratio(peer, totals[0]),
        '1.00×',
        ndPss.toFixed(1),
      ]);
    }
    console.log(
      `Idle CPU, ms per second (median (min–max) of ${rounds} windows of ${windowS} s after ${settleS} s settling), everything side by side.`,
    );
    console.log(`${stamp(hardware())}.\n`);
    console.log(
      markdownTable(
        [
          '',
          ...COMPONENTS,
          'stack',
          `vs ${variants[0]?.name}`,
          'vs Netdata',
          'PSS MB at end (edgewatch / VM / vmalert / vmagent)',
        ],
        rows,
      ),
    );
    if (!withNetdata)
      console.log('\nNetdata not measured: /usr/sbin/netdata is not installed (or --no-netdata).');
  } finally {
    for (const s of stacks) await s.stop();
    await netdata?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
