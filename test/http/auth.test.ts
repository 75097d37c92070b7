/** Access control: bearer token, Basic with a scrypt hash, the non-loopback guard, and the 401 answer. */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EdgewatchError, ErrorCode } from '../../src/errors.js';
import { assertListenAllowed, loadAuth } from '../../src/http/auth.js';
import { checkPassword, hashPassword, verifyPassword } from '../../src/http/password-hash.js';
import { sendJson } from '../../src/http/respond.js';
import type { Route } from '../../src/http/router.js';
import { serveRoutes } from '../helpers/route-server.js';

const none = { tokenFile: '', username: '', passwordFile: '' };

function request(authorization?: string, remoteAddress = '127.0.0.1'): IncomingMessage {
  return {
    headers: authorization === undefined ? {} : { authorization },
    socket: { remoteAddress },
  } as unknown as IncomingMessage;
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
    assert.equal(await verifyPassword('pa:ss wörd', hash), true);
    assert.equal(await verifyPassword('pa:ss word', hash), false);
    assert.notEqual(await hashPassword('pa:ss wörd'), hash, 'every hash has its own salt');
    assert.equal(await verifyPassword('x', 'not a hash'), false);
  });

  test('no credentials configured: no access control', () => {
    assert.equal(loadAuth(none), undefined);
  });

  test('bearer token: accepted exactly, everything else refused', async () => {
    const auth = loadAuth({ ...none, tokenFile });
    assert.ok(auth);
    assert.deepEqual(auth.schemes, ['Bearer']);
    assert.equal(await auth.check(request('Bearer s3cret-token')), true);
    assert.equal(await auth.check(request('bearer s3cret-token')), true, 'the scheme is case-insensitive');
    assert.equal(await auth.check(request('Bearer s3cret-toke')), false);
    assert.equal(await auth.check(request('Bearer s3cret-token2')), false);
    assert.equal(await auth.check(request('Bearer')), false);
    assert.equal(await auth.check(request()), false);
    assert.equal(await auth.check(request(basic('admin', 's3cret-token'))), false);
    assert.deepEqual(auth.challenge(), { 'www-authenticate': 'Bearer realm="edgewatch"' });
  });

  test('basic: the right user and password are accepted, others refused', async () => {
    const auth = loadAuth({ ...none, username: 'admin', passwordFile });
    assert.ok(auth);
    assert.deepEqual(auth.schemes, ['Basic']);
    assert.equal(await auth.check(request(basic('admin', 'correct horse'))), true);
    assert.equal(await auth.check(request(basic('admin', 'correct horse'))), true, 'again, from the cache');
    assert.equal(await auth.check(request(basic('admin', 'wrong horse'))), false);
    assert.equal(await auth.check(request('Basic bm9jb2xvbg==')), false, 'no colon');
    assert.equal(await auth.check(request('Bearer correct horse')), false);
    assert.match(auth.challenge()['www-authenticate'] ?? '', /^Basic realm="edgewatch"/);
  });

  test('a successful Basic check is cached: scrypt does not run per request', async () => {
    let verifications = 0;
    const auth = loadAuth(
      { ...none, username: 'admin', passwordFile },
      {
        checkPassword: (plain, stored) => {
          verifications++;
          return checkPassword(plain, stored);
        },
      },
    );
    assert.ok(auth);
    const header = basic('admin', 'correct horse');
    for (let i = 0; i < 200; i++) assert.equal(await auth.check(request(header)), true);
    assert.equal(verifications, 1);
  });

  test('scrypt runs off the event loop: timers fire while a password is verified', async () => {
    const auth = loadAuth({ ...none, username: 'admin', passwordFile });
    assert.ok(auth);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 0);
    try {
      assert.equal(await auth.check(request(basic('admin', 'correct horse'))), true);
    } finally {
      clearInterval(ticker);
    }
    // A synchronous scrypt resolves before any timer can run.
    assert.ok(ticks > 0, 'no timer ran during the verification');
  });

  test('password guesses are rate-limited per client, on the injected clock', async () => {
    const clock = { ms: 0 };
    let verifications = 0;
    const auth = loadAuth(
      { ...none, username: 'admin', passwordFile },
      {
        now: () => clock.ms,
        checkPassword: (plain, stored) => {
          verifications++;
          return checkPassword(plain, stored);
        },
      },
    );
    assert.ok(auth);
    const attacker = '192.0.2.66';
    for (let i = 0; i < 3; i++)
      assert.equal(await auth.check(request(basic('admin', `guess${i}`), attacker)), false);
    assert.equal(
      await auth.check(request(basic('admin', 'correct horse'), attacker)),
      false,
      'burst used up: refused unverified',
    );
    assert.equal(verifications, 3);
    // Another client is not locked out by the attacker's flood (one global bucket did that).
    assert.equal(await auth.check(request(basic('admin', 'correct horse'), '192.0.2.10')), true);
    clock.ms += 999;
    assert.equal(await auth.check(request(basic('admin', 'guess3'), attacker)), false);
    assert.equal(verifications, 4, 'under a second later: refused before scrypt');
    clock.ms = 2000;
    assert.equal(await auth.check(request(basic('admin', 'correct horse'), attacker)), true);
  });

  test('token and basic together: either is accepted', async () => {
    const auth = loadAuth({ tokenFile, username: 'admin', passwordFile });
    assert.ok(auth);
    assert.deepEqual(auth.schemes, ['Basic', 'Bearer']);
    assert.equal(await auth.check(request('Bearer s3cret-token')), true);
    assert.equal(await auth.check(request(basic('admin', 'correct horse'))), true);
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
