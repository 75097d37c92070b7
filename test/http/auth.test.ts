/** Access control: bearer token, Basic with a scrypt hash, the non-loopback guard, and the 401 answer. */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EdgewatchError, ErrorCode } from '../../src/errors.js';
import { assertListenAllowed, loadAuth } from '../../src/http/auth.js';
import { hashPassword, verifyPassword } from '../../src/http/password-hash.js';
import { sendJson } from '../../src/http/respond.js';
import type { Route } from '../../src/http/router.js';
import { serveRoutes } from '../helpers/route-server.js';
import { sleep } from '../helpers/wait.js';

const none = { tokenFile: '', username: '', passwordFile: '' };

function request(authorization?: string): IncomingMessage {
  return { headers: authorization === undefined ? {} : { authorization } } as IncomingMessage;
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function assertConfigError(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof EdgewatchError);
    assert.equal(err.code, ErrorCode.CONFIG_INVALID);
    assert.match(err.message, message);
    return true;
  });
}

describe('auth', () => {
  let dir: string;
  let tokenFile: string;
  let passwordFile: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'edgewatch-auth-'));
    tokenFile = join(dir, 'token');
    passwordFile = join(dir, 'password');
    await writeFile(tokenFile, '  s3cret-token\n');
    await writeFile(passwordFile, `${await hashPassword('correct horse')}\n`);
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('hashPassword and verifyPassword round trip', async () => {
    const hash = await hashPassword('pa:ss wörd');
    assert.match(hash, /^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    assert.equal(verifyPassword('pa:ss wörd', hash), true);
    assert.equal(verifyPassword('pa:ss word', hash), false);
    assert.notEqual(await hashPassword('pa:ss wörd'), hash, 'every hash has its own salt');
    assert.equal(verifyPassword('x', 'not a hash'), false);
  });

  test('no credentials configured: no access control', () => {
    assert.equal(loadAuth(none), undefined);
  });

  test('bearer token: accepted exactly, everything else refused', () => {
    const auth = loadAuth({ ...none, tokenFile });
    assert.ok(auth);
    assert.deepEqual(auth.schemes, ['Bearer']);
    assert.equal(auth.check(request('Bearer s3cret-token')), true);
    assert.equal(auth.check(request('bearer s3cret-token')), true, 'the scheme is case-insensitive');
    assert.equal(auth.check(request('Bearer s3cret-toke')), false);
    assert.equal(auth.check(request('Bearer s3cret-token2')), false);
    assert.equal(auth.check(request('Bearer')), false);
    assert.equal(auth.check(request()), false);
    assert.equal(auth.check(request(basic('admin', 's3cret-token'))), false);
    assert.deepEqual(auth.challenge(), { 'www-authenticate': 'Bearer realm="edgewatch"' });
  });

  test('basic: the right user and password are accepted, others refused', () => {
    const auth = loadAuth({ ...none, username: 'admin', passwordFile });
    assert.ok(auth);
    assert.deepEqual(auth.schemes, ['Basic']);
    assert.equal(auth.check(request(basic('admin', 'correct horse'))), true);
    assert.equal(auth.check(request(basic('admin', 'correct horse'))), true, 'again, from the cache');
    assert.equal(auth.check(request(basic('admin', 'wrong horse'))), false);
    assert.equal(auth.check(request('Basic bm9jb2xvbg==')), false, 'no colon');
    assert.equal(auth.check(request('Bearer correct horse')), false);
    assert.match(auth.challenge()['www-authenticate'] ?? '', /^Basic realm="edgewatch"/);
  });

  test('a successful Basic check is cached: scrypt does not run per request', () => {
    const auth = loadAuth({ ...none, username: 'admin', passwordFile });
    assert.ok(auth);
    const header = basic('admin', 'correct horse');
    assert.equal(auth.check(request(header)), true);
    const started = process.hrtime.bigint();
    for (let i = 0; i < 200; i++) assert.equal(auth.check(request(header)), true);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    // 200 scrypt runs would take seconds; 200 cache hits take well under one.
    assert.ok(ms < 500, `200 cached checks took ${ms} ms`);
  });

  test('password guesses are rate-limited instead of each running scrypt', async () => {
    const auth = loadAuth({ ...none, username: 'admin', passwordFile });
    assert.ok(auth);
    for (let i = 0; i < 3; i++) assert.equal(auth.check(request(basic('admin', `guess${i}`))), false);
    assert.equal(
      auth.check(request(basic('admin', 'correct horse'))),
      false,
      'burst used up: refused unverified',
    );
    await sleep(1100);
    assert.equal(auth.check(request(basic('admin', 'correct horse'))), true);
  });

  test('token and basic together: either is accepted', () => {
    const auth = loadAuth({ tokenFile, username: 'admin', passwordFile });
    assert.ok(auth);
    assert.deepEqual(auth.schemes, ['Basic', 'Bearer']);
    assert.equal(auth.check(request('Bearer s3cret-token')), true);
    assert.equal(auth.check(request(basic('admin', 'correct horse'))), true);
  });

  test('refuses bad configuration: plaintext password, half of Basic, empty or missing files', async () => {
    const plain = join(dir, 'plain');
    await writeFile(plain, 'correct horse\n');
    assertConfigError(() => loadAuth({ ...none, username: 'admin', passwordFile: plain }), /scrypt hash/);
    const weak = join(dir, 'weak');
    await writeFile(weak, 'scrypt$1000$8$1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==\n');
    assertConfigError(() => loadAuth({ ...none, username: 'admin', passwordFile: weak }), /scrypt hash/);
    assertConfigError(() => loadAuth({ ...none, username: 'admin' }), /must be set together/);
    assertConfigError(() => loadAuth({ ...none, passwordFile }), /must be set together/);
    const empty = join(dir, 'empty');
    await writeFile(empty, ' \n');
    assertConfigError(() => loadAuth({ ...none, tokenFile: empty }), /is empty/);
    assertConfigError(
      () => loadAuth({ ...none, tokenFile: join(dir, 'missing') }),
      /cannot read --web.auth.token-file/,
    );
  });

  test('error messages never contain the secrets', async () => {
    const plain = join(dir, 'plain2');
    await writeFile(plain, 'hunter2-password\n');
    assert.throws(
      () => loadAuth({ ...none, username: 'admin', passwordFile: plain }),
      (err: Error) => !err.message.includes('hunter2'),
    );
  });

  test('assertListenAllowed: loopback always, other addresses only with auth', () => {
    const auth = loadAuth({ ...none, tokenFile });
    for (const address of ['127.0.0.1:9100', '127.1.2.3:80', '[::1]:9100', 'localhost:9100']) {
      assert.doesNotThrow(() => assertListenAllowed(address, undefined), address);
    }
    for (const address of ['0.0.0.0:9100', ':9100', '192.168.1.20:9100', '[::]:9100']) {
      assert.throws(
        () => assertListenAllowed(address, undefined),
        (err: unknown) => err instanceof EdgewatchError && err.code === ErrorCode.INSECURE_LISTEN,
        address,
      );
      assert.doesNotThrow(() => assertListenAllowed(address, auth), address);
    }
  });

  test('through the app: 401 with a challenge, public routes open, credentials let through', async () => {
    const auth = loadAuth({ tokenFile, username: 'admin', passwordFile });
    assert.ok(auth);
    const ok = (name: string, path: string, isPublic = false): Route => ({
      name,
      method: 'GET',
      path,
      public: isPublic,
      handler: (_req, res) => sendJson(res, 200, { name }),
    });
    const server = await serveRoutes([ok('sensor', '/sensor'), ok('healthz', '/healthz', true)], auth);
    try {
      const refused = await fetch(`${server.url}/sensor`);
      assert.equal(refused.status, 401);
      assert.match(refused.headers.get('www-authenticate') ?? '', /^Basic realm="edgewatch"/);
      assert.equal(((await refused.json()) as { error: string }).error, 'unauthorized');
      assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
      const withToken = await fetch(`${server.url}/sensor`, {
        headers: { authorization: 'Bearer s3cret-token' },
      });
      assert.equal(withToken.status, 200);
      const withPassword = await fetch(`${server.url}/sensor`, {
        headers: { authorization: basic('admin', 'correct horse') },
      });
      assert.equal(withPassword.status, 200);
    } finally {
      await server.close();
    }
  });
});
