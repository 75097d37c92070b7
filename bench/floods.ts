/**
 * What floods cost a running `edgewatch up` (real VictoriaMetrics and vmalert): edgewatch's memory
 * before and after each, and what still got through. The figures behind issue 8's hostile cases;
 * the tests assert the behaviour (test/hostile, test/alerts), this prints the cost.
 *
 *   npm run bench:floods
 */

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword } from '../src/http/password-hash.js';
import { startSensor } from '../test/helpers/sensor-process.js';
import { startStack } from '../test/helpers/stack.js';
import { SysfsTree } from '../test/helpers/sysfs-tree.js';
import { hardware, memory } from './lib/proc-stats.js';

const MB = 1e6;

interface Row {
  flood: string;
  outcome: string;
  before: number;
  peak: number;
  after: number;
}

function post(url: string, body: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

function get(url: string, headers: Record<string, string>, localAddress?: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { headers, localAddress }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** RSS of `pid` sampled every 100 ms while `run` runs: [peak, after]. */
async function watched(pid: number, run: () => Promise<string>): Promise<Row> {
  const before = memory(pid).rssBytes;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, memory(pid).rssBytes);
  }, 100);
  const outcome = await run();
  await sleep(2000);
  clearInterval(timer);
  return { flood: '', outcome, before, peak, after: memory(pid).rssBytes };
}

function alert(name: string, labelBytes = 0): object {
  return {
    labels: { alertname: name, severity: 'warning', ...(labelBytes ? { blob: 'x'.repeat(labelBytes) } : {}) },
    annotations: { summary: 'flood' },
    startsAt: new Date().toISOString(),
  };
}

async function stackFloods(rows: Row[]): Promise<void> {
  const s = await startStack();
  try {
    const pid = s.proc.child.pid as number;
    await sleep(3000);
    const receiver = `${s.webUrl}/api/v2/alerts`;

    rows.push({
      ...(await watched(pid, async () => {
        const sockets: Socket[] = [];
        let closedByServer = 0;
        for (let i = 0; i < 2000; i++) {
          const socket = connect(Number(new URL(s.webUrl).port), '127.0.0.1');
          socket.on('error', () => {});
          socket.on('close', () => closedByServer++);
          sockets.push(socket);
        }
        await sleep(3000);
        const during = await get(`${s.webUrl}/healthz`, {});
        const held = 2000 - closedByServer;
        for (const socket of sockets) socket.destroy();
        await sleep(200);
        const after = await get(`${s.webUrl}/healthz`, {});
        return `${held} held open (web.max-connections), the rest closed at once; a new client ${during === 0 ? 'is refused' : `gets ${during}`} while they are held (until web.request-timeout ends them), ${after} once they go`;
      })),
      flood: '2,000 idle connections',
    });

    rows.push({
      ...(await watched(pid, async () => {
        const statuses = new Map<number, number>();
        for (let i = 0; i < 90; i++) {
          const status = await post(receiver, JSON.stringify([alert(`Big${i}`, 1024 * 1024)]));
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
        return [...statuses]
          .map(([code, n]) => `${n}× ${code === 0 ? 'connection closed after 413' : code}`)
          .join(', ');
      })),
      flood: '90 alerts of 1 MiB each',
    });

    rows.push({
      ...(await watched(pid, async () => {
        let accepted = 0;
        for (let batch = 0; batch < 31; batch++) {
          const alerts = Array.from({ length: 1000 }, (_, i) => alert(`Flood${batch * 1000 + i}`));
          if ((await post(receiver, JSON.stringify(alerts))) === 200) accepted++;
        }
        return `${accepted} of 31 posts accepted; vmalert's own alerts are kept apart (its token)`;
      })),
      flood: '31,000 distinct alert names',
    });
  } finally {
    await s.cleanup();
  }
}

async function passwordFlood(rows: Row[]): Promise<void> {
  const sysfs = new SysfsTree().typicalBox();
  const dir = await mkdtemp(join(tmpdir(), 'edgewatch-flood-'));
  const passwordFile = join(dir, 'password');
  await writeFile(passwordFile, `${await hashPassword('correct horse')}\n`);
  const sensor = await startSensor(sysfs, [
    '--web.auth.username=admin',
    `--web.auth.password-file=${passwordFile}`,
  ]);
  const basic = (password: string) => ({
    authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`,
  });
  try {
    const pid = sensor.proc.child.pid as number;
    rows.push({
      ...(await watched(pid, async () => {
        let guesses = 0;
        let stop = false;
        const attacker = (async () => {
          while (!stop) {
            guesses++;
            await get(`${sensor.base}/sensor`, basic(`guess${guesses}`), '127.0.0.2');
            await sleep(100);
          }
        })();
        let logins = 0;
        await sleep(3000);
        // A real user logging in once a second from another address. Each header is spelt with
        // one more space after "Basic", so none is a cache hit: every login runs the check.
        const b64 = Buffer.from('admin:correct horse').toString('base64');
        for (let i = 0; i < 26; i++) {
          const header = { authorization: `Basic${' '.repeat(i + 1)}${b64}` };
          if ((await get(`${sensor.base}/sensor`, header)) === 200) logins++;
          await sleep(1000);
        }
        stop = true;
        await attacker;
        return `${logins} of 26 real logins got in during ${guesses} wrong guesses (10 a second, another address)`;
      })),
      flood: 'password guesses',
    });
  } finally {
    await sensor.stop();
    sysfs.remove();
    await rm(dir, { recursive: true, force: true });
  }
}

const rows: Row[] = [];
await stackFloods(rows);
await passwordFlood(rows);
console.log(
  `\nFlood costs, ${new Date().toISOString().slice(0, 10)}; ${hardware()}. edgewatch's RSS, MB = 10^6 bytes.\n`,
);
console.log('| flood | outcome | RSS before | peak | 2 s after |');
console.log('|---|---|---:|---:|---:|');
for (const r of rows) {
  console.log(
    `| ${r.flood} | ${r.outcome} | ${(r.before / MB).toFixed(1)} | ${(r.peak / MB).toFixed(1)} | ${(r.after / MB).toFixed(1)} |`,
  );
}
