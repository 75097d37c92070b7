/** Hostile configuration: every case exits 2 with a message naming the problem, never a crash. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { upCommand } from '../../src/cli/commands/up.js';
import { loadConfig } from '../../src/config/load.js';
import { flagName } from '../../src/config/option.js';
import { MAX_FLOW_DEPTH, yamlLimitProblem } from '../../src/config/yaml-limits.js';
import { EdgewatchError } from '../../src/errors.js';
import { runEdgewatch } from '../helpers/edgewatch.js';

const dir = mkdtempSync(join(tmpdir(), 'edgewatch-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function assertCleanExit2(result: { code: number | null; stderr: string }, mentions: RegExp): void {
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, mentions);
  assert.doesNotMatch(result.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
}

describe('hostile configuration', () => {
  it('refuses YAML nested 100,000 deep with exit 2 instead of a heap OOM', async () => {
    const file = join(dir, 'deep.yml');
    writeFileSync(file, `sensor:\n  interval: ${'['.repeat(100_000)}\n`);
    assertCleanExit2(await runEdgewatch(['sensor', `--config.file=${file}`]), /nests deeper than/);
  });

  it('refuses deep block indentation and oversized files', () => {
    assert.match(yamlLimitProblem(`a:\n${' '.repeat(500)}b: 1\n`) ?? '', /indented deeper/);
    assert.match(yamlLimitProblem(`a: "${'x'.repeat(2 * 1024 * 1024)}"`) ?? '', /larger than/);
  });

  it('accepts ordinary YAML, quotes and comments included', () => {
    const ok = [
      "sensor:\n  interval: 5s # don't [ care\n",
      `web:\n  listen_address: "127.0.0.1:8000"\nlist: [a, [b, {c: d}]]\n`,
      "note: it's [fine]\n",
      `${'['.repeat(MAX_FLOW_DEPTH)}${']'.repeat(MAX_FLOW_DEPTH)}`,
    ];
    for (const text of ok) assert.equal(yamlLimitProblem(text), undefined, text);
  });

  it('never throws anything but a typed error on random text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        const problem = yamlLimitProblem(text);
        assert.ok(problem === undefined || typeof problem === 'string');
      }),
    );
  });

  it('caps every timer-backed duration below what Node timers hold, and --help says so', async () => {
    for (const flag of [
      '--query.timeout=25d',
      '--alerting.action-timeout=25d',
      '--sensor.read-timeout=25d',
    ]) {
      assertCleanExit2(await runEdgewatch(['up', flag]), /must be at most 24d/);
    }
    const help = await runEdgewatch(['up', '--help']);
    assert.match(help.stdout, /--query\.timeout=DURATION[\s\S]*?Range: [^\n]* to 24d\./);
  });

  it('names the option for a listen address the kernel would refuse', async () => {
    for (const address of ['127.999.0.1:8000', '[zz]:8000', 'a b:8000', '::1:8000']) {
      assertCleanExit2(
        await runEdgewatch(['sensor', `--web.listen-address=${address}`]),
        /web\.listen-address/,
      );
    }
  });

  it('turns a taken port into exit 2 naming the address', async () => {
    const { createServer } = await import('node:net');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      assertCleanExit2(
        await runEdgewatch([
          'sensor',
          `--web.listen-address=127.0.0.1:${port}`,
          '--paths.sysfs=/nonexistent',
        ]),
        /EADDRINUSE/,
      );
    } finally {
      server.close();
    }
  });

  it('answers any value of any option of `up` with a value or a typed error', () => {
    const options = upCommand.options.filter((o) => !o.fileOnly);
    fc.assert(
      fc.property(
        fc.constantFrom(...options),
        fc.oneof(
          fc.string({ maxLength: 30 }),
          fc.constantFrom('', '-1', '1e309', 'NaN', '0x10', '25d', '99999999999999999999', 'true', '\u0000'),
        ),
        (option, value) => {
          try {
            loadConfig({ options, argv: [`${flagName(option)}=${value}`], env: {} });
          } catch (err) {
            assert.ok(err instanceof EdgewatchError, `${flagName(option)}=${value}: ${String(err)}`);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
