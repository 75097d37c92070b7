/**
 * Flash wear: what `edgewatch up` writes to its storage, per day, measured where an SD card feels
 * it. Every variant (and Netdata, the peer, when installed) runs side by side in the same windows,
 * each with its data directory on a freshly made ext4 loop filesystem of its own; the windows
 * repeat, and the table shows medians with the range (the machine is shared: noise is real).
 *
 *   npm run bench:flash                    # 3 windows of 10 min after 60 s settling
 *   node dist/bench/flash.js --short       # 2 windows of 60 s: a smoke run
 *   node dist/bench/flash.js --window=600 --rounds=3 --variant=before,/tmp/old/bin/edgewatch
 *
 * --variant=NAME,BIN[,--flag=value|ENV=value]... adds a variant (repeatable); without any, the
 * variants are this build at its defaults and at storage.flush-interval=1s and =5m. --no-netdata
 * leaves the peer out, --no-strace skips counting fsyncs. Needs root (loop devices, mount).
 *
 * Per day: bytes reaching the block device (/sys/block/loopN/stat: data, metadata and the ext4
 * journal), write requests, what the processes say they wrote (/proc/<pid>/io write_bytes, summed
 * over the stack or Netdata's process tree), fsync+fdatasync calls (strace -c -f, attached for the
 * window), and the data directory's size at the end of the window.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countFsyncs, type FsyncCounter, straceAvailable } from './lib/fsync-count.js';
import { directoryBytes, type LoopFs, makeLoopFs } from './lib/loop-fs.js';
import { hardware } from './lib/proc-stats.js';
import { parseVariant, type RunningStack, startStack, type Variant, writeBytes } from './lib/stack-run.js';
import { markdownTable, parseArgs, ratio, sleep, spread, stamp } from './lib/summary.js';
import { netdataAvailable, netdataVersion, type RunningNetdata, startNetdata } from './peers/netdata.js';

const args = parseArgs(process.argv.slice(2));
const short = args.get('short') === 'true';
const windowS = Number(args.get('window') ?? (short ? 60 : 600));
const settleS = Number(args.get('settle') ?? (short ? 20 : 60));
const rounds = Number(args.get('rounds') ?? (short ? 2 : 3));
const withNetdata = args.get('no-netdata') !== 'true' && netdataAvailable();
const withStrace = args.get('no-strace') !== 'true' && straceAvailable();
const workDir = args.get('dir') ?? '/tmp/edgewatch-bench-flash';
const bin = fileURLToPath(new URL('../../bin/edgewatch', import.meta.url));

const given = args.all('variant').map(parseVariant);
const variants: Variant[] =
  given.length > 0
    ? given
    : [
        { name: 'defaults', bin, args: [], env: {} },
        { name: 'storage.flush-interval=1s', bin, args: ['--storage.flush-interval=1s'], env: {} },
        { name: 'storage.flush-interval=5m', bin, args: ['--storage.flush-interval=5m'], env: {} },
      ];
const NETDATA_NAME = `${netdataVersion()} (peer)`;

interface Sample {
  deviceBytes: number;
  deviceWrites: number;
  processBytes: number;
  fsyncs: number;
  dataBytes: number;
}

/** One contestant in one window: its filesystem, what runs on it, and how to read its counters. */
interface Contestant {
  name: string;
  fs: LoopFs;
  dataDir: string;
  pids(): Promise<number[]>;
  /** Component restarts so far (a restart during a window makes its figures suspect). */
  restarts(): Promise<number>;
  stop(): Promise<void>;
}

async function prepare(round: number, index: number, name: string): Promise<Contestant> {
  const fs = makeLoopFs(join(workDir, `r${round}-${index}`), 1024);
  const dataDir = join(fs.mountPoint, 'data');
  mkdirSync(dataDir, { recursive: true });
  try {
    if (name === NETDATA_NAME) {
      const nd: RunningNetdata = await startNetdata(dataDir);
      return {
        name,
        fs,
        dataDir,
        pids: async () => nd.pids(),
        restarts: async () => 0,
        stop: () => nd.stop(),
      };
    }
    const variant = variants.find((v) => v.name === name) as Variant;
    const stack: RunningStack = await startStack(variant, dataDir);
    return {
      name,
      fs,
      dataDir,
      pids: async () => Object.values((await stack.current()).pids),
      restarts: async () => (await stack.current()).restarts,
      stop: () => stack.stop(),
    };
  } catch (err) {
    fs.remove();
    throw err;
  }
}

async function window(round: number): Promise<Map<string, Sample>> {
  const names = [...variants.map((v) => v.name), ...(withNetdata ? [NETDATA_NAME] : [])];
  // Alternate the start order per round so no variant always starts first.
  const ordered = round % 2 === 0 ? names : [...names].reverse();
  const contestants: Contestant[] = [];
  try {
    for (const name of ordered) contestants.push(await prepare(round, names.indexOf(name), name));
    await sleep(settleS * 1000);
    const before = [];
    for (const c of contestants) {
      const pids = await c.pids();
      const restarts = await c.restarts();
      const counter: FsyncCounter | undefined = withStrace
        ? countFsyncs(pids, join(workDir, `strace-${round}-${names.indexOf(c.name)}.txt`))
        : undefined;
      before.push({
        pids,
        restarts,
        counter,
        device: c.fs.writtenBytes(),
        requests: c.fs.writeRequests(),
        process: pids.reduce((sum, pid) => sum + writeBytes(pid), 0),
      });
    }
    await sleep(windowS * 1000);
    const results = new Map<string, Sample>();
    for (const [i, c] of contestants.entries()) {
      const b = before[i] as (typeof before)[number];
      const fsyncs = b.counter ? await b.counter.stop() : Number.NaN;
      // Processes that started during the window (Netdata's plugins) count from zero.
      const pids = [...new Set([...b.pids, ...(await c.pids())])];
      const restarts = (await c.restarts()) - b.restarts;
      if (restarts > 0)
        console.error(`${c.name}: ${restarts} component restart(s) during window ${round + 1}`);
      results.set(c.name, {
        deviceBytes: c.fs.writtenBytes() - b.device,
        deviceWrites: c.fs.writeRequests() - b.requests,
        processBytes: pids.reduce((sum, pid) => sum + writeBytes(pid), 0) - b.process,
        fsyncs,
        dataBytes: directoryBytes(c.dataDir),
      });
    }
    return results;
  } finally {
    for (const c of contestants) {
      await c.stop().catch((err: unknown) => console.error(`${c.name}: stop failed: ${String(err)}`));
      try {
        c.fs.remove();
      } catch (err) {
        console.error(`${c.name}: cleanup of ${c.fs.mountPoint} failed: ${String(err)}`);
      }
    }
  }
}

async function main(): Promise<void> {
  mkdirSync(workDir, { recursive: true });
  const names = [...variants.map((v) => v.name), ...(withNetdata ? [NETDATA_NAME] : [])];
  const samples = new Map<string, Sample[]>(names.map((n) => [n, []]));
  for (let round = 0; round < rounds; round++) {
    const result = await window(round);
    for (const [name, sample] of result) samples.get(name)?.push(sample);
    console.error(
      `window ${round + 1}/${rounds} done: ${[...result].map(([n, s]) => `${n} ${(s.deviceBytes / 1e6).toFixed(1)} MB`).join(', ')}`,
    );
  }
  const perDay = 86_400 / windowS;
  const reference = samples.get(names[0] as string);
  const pick = (list: Sample[], f: (s: Sample) => number) => list.map(f);
  const rows = names.map((name) => {
    const list = samples.get(name) ?? [];
    const device = pick(list, (s) => (s.deviceBytes * perDay) / 1e6);
    return [
      name,
      spread(device, 0),
      ratio(device, reference && pick(reference, (s) => (s.deviceBytes * perDay) / 1e6)),
      spread(
        pick(list, (s) => (s.deviceWrites * perDay) / 1000),
        1,
      ),
      spread(
        pick(list, (s) => (s.processBytes * perDay) / 1e6),
        0,
      ),
      withStrace
        ? spread(
            pick(list, (s) => (s.fsyncs * 60) / windowS),
            1,
          )
        : 'not measured',
      spread(
        pick(list, (s) => s.dataBytes / 1e6),
        1,
      ),
    ];
  });
  console.log(
    `Flash writes per day, ${rounds} window(s) of ${windowS} s after ${settleS} s settling, side by side; median (min–max).`,
  );
  console.log(`${stamp(hardware())}; ext4 on loop devices.\n`);
  console.log(
    markdownTable(
      [
        '',
        'device writes MB/day',
        `vs ${names[0]}`,
        'write requests k/day',
        'process write_bytes MB/day',
        'fsyncs/min',
        'data dir MB at end',
      ],
      rows,
    ),
  );
  if (!withStrace) console.log('\nfsyncs not measured: strace is not installed (or --no-strace).');
  if (!withNetdata)
    console.log('\nNetdata not measured: /usr/sbin/netdata is not installed (or --no-netdata).');
}

await main();
