/**
 * Guards against the four documented defects of the service edgewatch replaced. Each bound is
 * far from what edgewatch does and far below what the defect did, so the tests are stable yet
 * fail if the defect returns (checked by injecting each one).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { EdgewatchProcess, repoRoot } from '../helpers/edgewatch.js';
import { freePort } from '../helpers/net.js';
import { RawHttpClient } from '../helpers/raw-http.js';
import { SysfsTree } from '../helpers/sysfs-tree.js';
import { waitFor } from '../helpers/wait.js';

const run = promisify(execFile);
const sysfs = new SysfsTree().typicalBox();
const sensorFlags = [`--paths.sysfs=${sysfs.root}`, '--sensor.interval=1s', `--storage.path=${sysfs.root}`];
after(() => sysfs.remove());

/** The V8 flags bin/edgewatch runs with, read from the script so the two cannot drift apart. */
const productionFlags = (
  /EDGEWATCH_NODE_FLAGS:-([^}]*)\}/.exec(readFileSync(`${repoRoot}bin/edgewatch`, 'utf8'))?.[1] ?? ''
)
  .split(' ')
  .filter(Boolean);
if (!productionFlags.includes('--max-semi-space-size=1')) throw new Error('bin/edgewatch flags not found');
/** A young generation large enough that a few hundred scrapes fit between two GCs. */
const noGcFlags = ['--min-semi-space-size=32', '--max-semi-space-size=32'];

async function probe(path: string, scrapes: number, nodeFlags: string[]) {
  const { stdout } = await run(
    process.execPath,
    [
      '--expose-gc',
      ...nodeFlags,
      `${repoRoot}dist/test/fixtures/scrape-probe.js`,
      path,
      String(scrapes),
      '--',
      ...sensorFlags,
    ],
    { timeout: 120_000 },
  );
  return JSON.parse(stdout) as {
    heapGrowthBytes: number;
    rssGrowthBytes: number;
    allocPerScrapeBytes: number;
    maxBodyBytes: number;
  };
}

describe('guards against the original defects', () => {
  it('1. keeps memory bounded across 20,000 scrapes (no buffer kept alive per scrape)', async () => {
    const result = await probe('/metrics', 20_000, productionFlags);
    // 20,000 scrapes × 100 bytes leaked = 2 MB: anything a scrape keeps shows here.
    assert.ok(result.heapGrowthBytes < 1_000_000, `heap grew ${result.heapGrowthBytes} bytes`);
    assert.ok(result.rssGrowthBytes < 16_000_000, `RSS grew ${result.rssGrowthBytes} bytes`);
  });

  it('3. allocates kilobytes per scrape, not megabytes', async () => {
    for (const path of ['/metrics', '/sensor']) {
      const result = await probe(path, 1000, noGcFlags);
      assert.ok(
        Number.isFinite(result.allocPerScrapeBytes),
        `${path}: no 200 scrapes fit in a 32 MB young generation between GCs (> 160 KB per scrape)`,
      );
      // The body is ~6 KB; building it and the response costs a few times that.
      assert.ok(
        result.allocPerScrapeBytes < 64 * 1024,
        `${path}: ${result.allocPerScrapeBytes} bytes per scrape`,
      );
    }
  });

  describe('against bin/edgewatch sensor', () => {
    let proc: EdgewatchProcess;
    let port: number;
    before(async () => {
      port = await freePort();
      proc = new EdgewatchProcess(['sensor', `--web.listen-address=127.0.0.1:${port}`, ...sensorFlags]);
      await proc.waitForLog((l) => l.msg === 'listening');
    });
    after(() => proc.stop());

    // Defect 2 (CPU spent per scrape) is a speed figure, so it is measured in bench/sensor-service.ts
    // ("CPU seconds per 1,000 scrapes", i.e. ms per scrape), not asserted here.

    it('4. answers /sensor in well under 1 KB, healthy or failing', async () => {
      const client = await RawHttpClient.connect(port);
      for (let i = 0; i < 200; i++) {
        const res = await client.request('/sensor');
        assert.equal(res.status, 200);
        assert.ok(res.body.length < 1024, `${res.body.length} bytes`);
      }
      // A failing sensor adds its state, not an error dump.
      sysfs.write('bus/iio/devices/iio:device0', { in_temp_input: 'garbage'.repeat(500) });
      const res = await waitFor('/sensor to report the failing sensor', async () => {
        const r = await client.request('/sensor');
        return /"failing"/.test(r.body.toString()) && r;
      });
      client.close();
      assert.match(res.body.toString(), /"failing"/);
      assert.ok(res.body.length < 1024, `${res.body.length} bytes`);
      sysfs.bme280(0);
    });
  });
});
