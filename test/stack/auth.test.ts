/** With access control on, the stack's own clients use edgewatch's bearer token. */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runEdgewatch } from '../helpers/edgewatch.js';
import { httpGet } from '../helpers/net.js';
import { queryUntilPresent, type StackUnderTest, startStack } from '../helpers/stack.js';

describe('edgewatch up with web.auth.token-file', { timeout: 60_000 }, () => {
  let s: StackUnderTest;
  let secrets: string;
  let tokenFile: string;

  before(async () => {
    secrets = await mkdtemp(join(tmpdir(), 'edgewatch-token-'));
    tokenFile = join(secrets, 'token');
    await writeFile(tokenFile, 'test-token-0123456789\n', { mode: 0o600 });
    s = await startStack([`--web.auth.token-file=${tokenFile}`]);
  });

  after(async () => {
    await s?.cleanup();
    await rm(secrets, { recursive: true, force: true });
  });

  it('lets VictoriaMetrics scrape /metrics with the token, which others cannot read without it', async () => {
    assert.equal((await httpGet(`${s.webUrl}/metrics`)).status, 401);
    await queryUntilPresent(s.vmUrl, 'up{job="edgewatch"} == 1', 20_000);
  });

  it('lets `edgewatch status` in with the token and explains the 401 without it', async () => {
    const address = `--web.listen-address=${s.webUrl.slice('http://'.length)}`;
    const denied = await runEdgewatch(['status', address]);
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /needs credentials: set --web\.auth\.token-file/);
    const allowed = await runEdgewatch(['status', address, `--web.auth.token-file=${tokenFile}`]);
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.match(allowed.stdout, /^vmalert\s+\d+\s+healthy/m);
  });
});
