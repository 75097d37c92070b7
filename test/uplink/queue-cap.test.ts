/**
 * An endpoint's queue at its cap (max_disk_usage 1MiB, the least edgewatch allows): with the
 * central down, synthetic samples pushed into vmagent's /api/v1/import fill the queue past it;
 * vmagent drops the oldest, edgewatch counts it (edgewatch_uplink_queue_dropped_bytes_total) and
 * UplinkSamplesDropped fires; pushing on (~40 M samples, ~500 MB) shows the disk bound, the cap
 * plus one of vmagent's chunk files, reached and given back:
 * 1.79's persistent queue drops by moving its reader on, and deletes a chunk file (16 × (32 MiB +
 * 8) = 536,871,040 bytes, lib/persistentqueue/persistentqueue.go) only once the reader leaves it,
 * so a smaller cap still lets the file grow to a chunk (machine.md; docs/fleet.md).
 */
import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { waitForActiveAlert } from '../dashboard/harness.js';
import { useBoxWithCentral, waitDeliveredPast } from '../helpers/box.js';
import { startCentral } from '../helpers/central.js';
import { waitFor } from '../helpers/wait.js';

const CAP = 1024 ** 2;
/** vmagent 1.79's persistent-queue chunk file: (MaxBlockSize + 8) * 16. */
const CHUNK_FILE_BYTES = (32 * 1024 ** 2 + 8) * 16;
/** Per import request: random values barely compress, ~15 B a sample in vmagent's blocks. */
const SERIES_PER_PUSH = 50;
const SAMPLES_PER_SERIES = 2000;

async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

/** JSON lines for /api/v1/import: series of edgewatch's job (what uplink.jobs lets through). */
function importBody(push: number, now: number): string {
  const lines: string[] = [];
  for (let s = 0; s < SERIES_PER_PUSH; s++) {
    const timestamps = Array.from(
      { length: SAMPLES_PER_SERIES },
      (_, i) => now - (SAMPLES_PER_SERIES - i) * 10,
    );
    const values = timestamps.map(() => Math.random());
    lines.push(
      JSON.stringify({
        metric: { __name__: 'queue_cap_fill', job: 'edgewatch', push: String(push), s: String(s) },
        values,
        timestamps,
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}

describe('uplink queue at its cap', { timeout: 300_000 }, () => {
  const f = useBoxWithCentral(startCentral, [], { jobs: 'default', maxDiskUsage: '1MiB' });

  it('drops the oldest data, counts and alerts it, and keeps the queue within its bound', async (t) => {
    const { box, central } = f;
    assert.equal(await box.metric('edgewatch_uplink_queue_max_bytes'), CAP);
    await waitDeliveredPast(box, Date.now() - 30_000, 30_000);
    await central.setMode('down');
    await waitFor('uplink down', async () => (await box.metric('edgewatch_uplink_up')) === 0, 20_000, 200);

    const vmagent = /--vmagent\.listen-address=(\S+)/.exec(box.args.join(' '))?.[1];
    let pushed = 0;
    let pushes = 0;
    const push = async () => {
      const body = importBody(pushes++, Date.now());
      const res = await fetch(`http://${vmagent}/api/v1/import`, { method: 'POST', body });
      assert.equal(res.status, 204, await res.text());
      pushed += SERIES_PER_PUSH * SAMPLES_PER_SERIES;
    };
    const dropped = await waitFor(
      'edgewatch_uplink_queue_dropped_bytes_total above 0',
      async () => {
        await push();
        const bytes = (await box.metric('edgewatch_uplink_queue_dropped_bytes_total')) ?? 0;
        return bytes > 0 ? bytes : undefined;
      },
      60_000,
      200,
    );
    // The endpoint's queue, URL 2 (URL 1 is local storage, which drains as it comes).
    const queues = join(box.dir, 'vmagent', 'persistent-queue');
    const endpointQueue = (await readdir(queues)).find((name) => name.startsWith('2_'));
    assert.ok(endpointQueue, `the endpoint's queue in ${queues}`);
    const onDisk = await dirBytes(join(queues, endpointQueue));
    const pending = (await box.metric('edgewatch_uplink_pending_bytes')) ?? 0;
    assert.ok(pending <= CAP, `pending ${pending} B within the cap`);
    assert.ok(onDisk <= CAP + CHUNK_FILE_BYTES, `queue directory ${onDisk} B within cap + one chunk file`);

    // On until vmagent deletes the oldest chunk file (~40 M samples, ~70 s here): the directory
    // grows to at most the cap plus one chunk, then falls back.
    let peak = onDisk;
    const shrunk = await waitFor(
      "the endpoint's queue directory to shrink",
      async () => {
        await push();
        const now = await dirBytes(join(queues, endpointQueue));
        if (now < peak) return now;
        peak = now;
        return undefined;
      },
      150_000,
      0,
    );
    assert.ok(peak <= CAP + CHUNK_FILE_BYTES, `queue directory peak ${peak} B within cap + one chunk file`);
    assert.ok(((await box.metric('edgewatch_uplink_pending_bytes')) ?? 0) <= CAP, 'pending within the cap');

    const alerts = await waitForActiveAlert(box.webUrl, 'UplinkSamplesDropped', 100_000);
    const alert = alerts.active.find((a) => a.name === 'UplinkSamplesDropped');
    assert.equal(alert?.labels.severity, 'critical');
    t.diagnostic(
      `first drop after ${onDisk} B in the queue directory (dropped ${dropped} B, pending ${pending} B, cap ${CAP}); ${pushed} samples pushed in ${pushes} requests; directory peak ${peak} B, then ${shrunk} B`,
    );
  });
});
