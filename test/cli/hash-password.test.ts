/**
 * `edgewatch hash-password` as an operator uses it: pipe (or type) a password, put the hash in
 * web.auth.password-file, and `edgewatch sensor` then asks browsers for it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { verifyPassword } from '../../src/http/password-hash.js';
import { EdgewatchProcess, edgewatchBin, repoRoot, runEdgewatch } from '../helpers/edgewatch.js';
import { freePort, httpGet } from '../helpers/net.js';
import { SysfsTree } from '../helpers/sysfs-tree.js';
import { waitFor } from '../helpers/wait.js';

const hashFormat = /^scrypt\$16384\$8\$1\$[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*$/;

/** Runs `edgewatch hash-password` with `input` on its stdin (a pipe). */
function hashPasswordWith(input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(edgewatchBin, ['hash-password'], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    // The command may exit before reading everything (it stops at the first newline).
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

function basic(username: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
}

describe('edgewatch hash-password', () => {
  it('prints the scrypt hash of the piped password, and only that, on stdout', async () => {
    const result = await hashPasswordWith('correct horse battery staple\n');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.ok(result.stdout.endsWith('\n'));
    const hash = result.stdout.trimEnd();
    assert.match(hash, hashFormat);
    assert.ok(await verifyPassword('correct horse battery staple', hash));
    assert.ok(!(await verifyPassword('correct horse battery stapler', hash)));
    // A fresh salt each time: the same password never gives the same line twice.
    const again = await hashPasswordWith('correct horse battery staple\n');
    assert.notEqual(again.stdout, result.stdout);
  });

  it('hashes the first line only, without its line ending; a missing final newline is fine', async () => {
    const twoLines = await hashPasswordWith(' spaced pw \r\nsecond line\n');
    assert.equal(twoLines.code, 0, twoLines.stderr);
    assert.ok(await verifyPassword(' spaced pw ', twoLines.stdout.trim()), 'spaces kept, CRLF removed');
    const noNewline = await hashPasswordWith('pw-without-newline');
    assert.equal(noNewline.code, 0, noNewline.stderr);
    assert.ok(await verifyPassword('pw-without-newline', noNewline.stdout.trim()));
  });

  it('refuses an empty password with exit 2 and prints no hash', async () => {
    for (const input of ['', '\n', '\r\n']) {
      const result = await hashPasswordWith(input);
      assert.equal(result.code, 2, JSON.stringify(input));
      assert.equal(result.stdout, '');
      const error = JSON.parse(result.stderr.trim()) as { level: string; code: string; msg: string };
      assert.equal(error.level, 'error');
      assert.equal(error.code, 'EW_USAGE');
      assert.match(error.msg, /^empty password/);
    }
  });

  it('prompts at a terminal without echoing what is typed', async () => {
    // script(1) (util-linux) gives the command a pseudo-terminal and passes our keystrokes on.
    const child = spawn('script', ['-qec', `${edgewatchBin} hash-password`, '/dev/null'], {
      cwd: repoRoot,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    try {
      await waitFor('the first prompt', () => output.includes('Password: '), 10_000);
      child.stdin.write('typed-secret\r');
      await waitFor('the second prompt', () => output.includes('Repeat password: '), 5000);
      child.stdin.write('typed-secret\r');
      assert.equal(await exited, 0, output);
    } finally {
      child.kill('SIGKILL');
    }
    assert.ok(!output.includes('typed-secret'), `the password was echoed: ${output}`);
    const hash = output.split(/\r?\n/).find((line) => line.startsWith('scrypt$'));
    assert.ok(hash, output);
    assert.ok(await verifyPassword('typed-secret', hash));
  });

  it('has --help, and is listed by edgewatch --help after verify', async () => {
    const help = await runEdgewatch(['hash-password', '--help']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^Usage: edgewatch hash-password \[options\]/);
    assert.match(help.stdout, /web\.auth\.password-file/);
    const main = await runEdgewatch(['--help']);
    assert.match(main.stdout, /^ {2}verify .*\n {2}hash-password {2}Print the scrypt hash/m);
  });
});

describe('edgewatch sensor with a password file from hash-password', () => {
  const sysfs = new SysfsTree();
  let secrets: string;
  let proc: EdgewatchProcess;
  let base: string;

  before(async () => {
    secrets = await mkdtemp(join(tmpdir(), 'edgewatch-password-'));
    const hashed = await hashPasswordWith('field-password\n');
    assert.equal(hashed.code, 0, hashed.stderr);
    const passwordFile = join(secrets, 'password');
    await writeFile(passwordFile, hashed.stdout, { mode: 0o600 });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    proc = new EdgewatchProcess([
      'sensor',
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.auth.username=field',
      `--web.auth.password-file=${passwordFile}`,
      '--sensor.sources=simulated',
      '--sensor.simulated.seed=7',
      `--paths.sysfs=${sysfs.root}`,
      `--storage.path=${sysfs.root}`,
    ]);
    await proc.waitForLog((l) => l.msg === 'listening');
  });

  after(async () => {
    await proc?.stop();
    sysfs.remove();
    if (secrets) await rm(secrets, { recursive: true, force: true });
  });

  it('answers /sensor and /metrics with 401 and a Basic challenge without credentials', async () => {
    for (const path of ['/sensor', '/metrics']) {
      const res = await httpGet(`${base}${path}`);
      assert.equal(res.status, 401, path);
      assert.match(res.headers.get('www-authenticate') ?? '', /^Basic realm="edgewatch"/);
      assert.equal(JSON.parse(res.body).error, 'unauthorized');
    }
  });

  it('serves /sensor with the username and the password that was hashed, not with others', async () => {
    const ok = await httpGet(`${base}/sensor`, { headers: basic('field', 'field-password') });
    assert.equal(ok.status, 200, ok.body);
    assert.equal(JSON.parse(ok.body).sensors[0].id, 'simulated/sim0');
    assert.equal((await httpGet(`${base}/sensor`, { headers: basic('field', 'wrong') })).status, 401);
    assert.equal(
      (await httpGet(`${base}/sensor`, { headers: basic('admin', 'field-password') })).status,
      401,
    );
  });

  it('keeps /healthz public', async () => {
    assert.equal((await httpGet(`${base}/healthz`)).status, 200);
  });
});
