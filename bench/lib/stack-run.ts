/**
 * Runs one `edgewatch up` for a benchmark: a variant (which build, which flags, which extra
 * environment) on free loopback ports with its storage.path where the benchmark says, at
 * edgewatch's defaults otherwise (15 s scrapes and evaluations, a simulated sensor).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { freePort } from '../../src/net/free-port.js';
import { waitFor } from '../../test/helpers/wait.js';

/** What `edgewatch up` runs; the benchmarks read each one's /proc. */
export const STACK_COMPONENTS = ['edgewatch', 'victoriametrics', 'vmalert'] as const;

export interface Variant {
  readonly name: string;
  /** bin/edgewatch of the build to run. */
  readonly bin: string;
  readonly args: readonly string[];
  /** Added to the environment (edgewatch passes it on to VictoriaMetrics and vmalert). */
  readonly env: Readonly<Record<string, string>>;
}

/** `NAME,BIN[,--flag=value|ENV=value]...` as given to --variant. */
export function parseVariant(text: string): Variant {
  const [name, bin, ...items] = text.split(',');
  if (!name || !bin) throw new Error(`--variant=${text}: want NAME,BIN[,--flag=value|ENV=value]...`);
  const env: Record<string, string> = {};
  const args: string[] = [];
  for (const item of items) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(item);
    if (m) env[m[1] as string] = m[2] as string;
    else args.push(item);
  }
  return { name, bin, args, env };
}

export interface RunningStack {
  readonly variant: Variant;
  /** Every process of the stack by component name (edgewatch, victoriametrics, vmalert). */
  readonly pids: Readonly<Record<string, number>>;
  readonly vmUrl: string;
  /** The pids /api/stack reports now (a restarted component has a new one), and the restarts so far. */
  current(): Promise<{ pids: Record<string, number>; restarts: number }>;
  stop(): Promise<void>;
}

export async function startStack(variant: Variant, dataPath: string): Promise<RunningStack> {
  const [web, vm, vmalert, vmagent] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const child = spawn(
    variant.bin,
    [
      'up',
      `--web.listen-address=127.0.0.1:${web}`,
      `--vm.listen-address=127.0.0.1:${vm}`,
      `--vmalert.listen-address=127.0.0.1:${vmalert}`,
      // Stacks side by side: a vmagent (remote_write) needs its own port too, not the default 8429.
      `--vmagent.listen-address=127.0.0.1:${vmagent}`,
      `--storage.path=${dataPath}`,
      '--sensor.sources=simulated',
      '--log.level=warn',
      ...variant.args,
    ],
    { env: { ...process.env, ...variant.env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const tail: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    tail.push(chunk);
    if (tail.length > 20) tail.shift();
  });
  const stop = () => stopChild(child);
  const current = async () => {
    if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${tail.join('')}`);
    const res = await fetch(`http://127.0.0.1:${web}/api/stack`);
    if (!res.ok) throw new Error(`/api/stack answered ${res.status}`);
    const report = (await res.json()) as {
      components: Array<{ name: string; pid: number | null; health: string; restarts: number }>;
    };
    return {
      // /api/stack answers before the supervisor has registered the components: wait for them.
      healthy:
        STACK_COMPONENTS.every((name) => report.components.some((c) => c.name === name)) &&
        report.components.every((c) => c.health === 'healthy' && c.pid !== null),
      pids: Object.fromEntries(report.components.map((c) => [c.name, c.pid as number])),
      restarts: report.components.reduce((sum, c) => sum + c.restarts, 0),
    };
  };
  try {
    const { pids } = await waitFor(
      `${variant.name}: every component healthy`,
      async () => {
        const now = await current();
        return now.healthy ? now : undefined;
      },
      60_000,
      500,
    );
    return { variant, pids, vmUrl: `http://127.0.0.1:${vm}`, current, stop };
  } catch (err) {
    await stop();
    throw new Error(`${variant.name}: ${(err as Error).message} ${tail.join('').slice(-500)}`);
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Bytes the process (all its threads) caused to be written to storage, /proc/<pid>/io write_bytes. */
export function writeBytes(pid: number): number {
  try {
    return Number(/^write_bytes:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** `pid` and all its descendants now (Netdata's plugins are processes of their own). */
export function processTree(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // Exited while listing.
    }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) out.push(...(parents.get(out[i] as number) ?? []));
  return out;
}
