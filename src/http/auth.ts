/**
 * Access control for everything edgewatch serves: a bearer token (for scrapers and scripts) and/or
 * HTTP Basic with a username and a scrypt password hash (for browsers, which prompt for it).
 *
 * Secrets live in files named by options, never in the options themselves, so they do not show up
 * in `ps`, the environment or the config file; the password file holds a hash, never the password.
 * scrypt, because it is in node:crypto (bcrypt would be a native dependency).
 *
 * scrypt costs ~16 MiB and ~40 ms here (~150 ms on a Pi); it runs on the thread pool, so the
 * event loop serves on while it does. A verified Authorization header is remembered for five
 * minutes (a dashboard refreshing every 5 s verifies once). Verifications of unknown headers are
 * rate-limited per client address (a burst of 3, then 1 per second) and at most
 * MAX_CONCURRENT_VERIFICATIONS run at once (16 MiB each): a flood of guesses from one client is
 * refused without running scrypt and no longer locks out everyone else, as one global bucket did.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { defineOptions, type OptionValue } from '../config/option.js';
import { EdgewatchError, ErrorCode, errorMessage } from '../errors.js';
import { isLoopbackHost } from '../net/loopback.js';
import { checkPassword, type PasswordHash, parsePasswordHash } from './password-hash.js';
import { parseListenAddress } from './server.js';

export const authOptions = defineOptions({
  tokenFile: {
    name: 'web.auth.token-file',
    kind: 'string',
    default: '',
    defaultText: '(none)',
    description:
      'File holding a bearer token that grants access (`Authorization: Bearer <token>`). Read once at start; surrounding whitespace is ignored.',
  },
  username: {
    name: 'web.auth.username',
    kind: 'string',
    default: '',
    defaultText: '(none)',
    description: 'Username for HTTP Basic access control; needs --web.auth.password-file.',
  },
  passwordFile: {
    name: 'web.auth.password-file',
    kind: 'string',
    default: '',
    defaultText: '(none)',
    description:
      'File holding the scrypt hash of the Basic password (scrypt$N$r$p$salt$hash), as printed by `edgewatch hash-password`. A plain password is refused.',
  },
  metricsPublic: {
    name: 'web.metrics-public',
    kind: 'bool',
    default: false,
    description: 'Serve /metrics without credentials even when access control is on, for a central scraper.',
  },
});

export type AuthSettings = { [K in keyof typeof authOptions]: OptionValue<(typeof authOptions)[K]> };

export type AuthScheme = 'Basic' | 'Bearer';

/** Plugs into buildApp's `access` (AccessCheck in app.ts). */
export interface Auth {
  readonly schemes: readonly AuthScheme[];
  /** Whether the request carries valid credentials. */
  check(req: IncomingMessage): Promise<boolean>;
  /** Headers for the 401 answer: a Basic challenge when Basic is on (browsers prompt), else Bearer. */
  challenge(): Record<string, string>;
}

const REALM = 'edgewatch';
const CACHE_TTL_MS = 5 * 60_000;
const CACHE_MAX_ENTRIES = 64;
const VERIFY_BURST = 3;
const VERIFY_PER_SECOND = 1;
/** Rate-limit buckets kept; the least recently used client is forgotten beyond it (~100 B each). */
const MAX_CLIENTS = 1024;
const MAX_CONCURRENT_VERIFICATIONS = 2;

/** What the check depends on besides its secrets; tests pass a clock and count verifications. */
export interface AuthRuntime {
  readonly now?: () => number;
  readonly checkPassword?: (plain: string, stored: PasswordHash) => Promise<boolean>;
}

interface BasicCredentials {
  usernameDigest: Buffer;
  password: PasswordHash;
}

/**
 * Reads the secret files (once, at start). Undefined when no credentials are configured; throws
 * CONFIG_INVALID when a file is unreadable, empty or not a hash, or only half of Basic is set.
 */
export function loadAuth(
  settings: Pick<AuthSettings, 'tokenFile' | 'username' | 'passwordFile'>,
  runtime: AuthRuntime = {},
): Auth | undefined {
  const { tokenFile, username, passwordFile } = authOptions;
  const token = settings.tokenFile === '' ? undefined : readSecret(settings.tokenFile, tokenFile.name);
  if (token === '') {
    throw new EdgewatchError(ErrorCode.CONFIG_INVALID, `--${tokenFile.name} ${settings.tokenFile} is empty`);
  }
  if ((settings.username === '') !== (settings.passwordFile === '')) {
    throw new EdgewatchError(
      ErrorCode.CONFIG_INVALID,
      `--${username.name} and --${passwordFile.name} must be set together`,
    );
  }
  let basic: BasicCredentials | undefined;
  if (settings.passwordFile !== '') {
    const password = parsePasswordHash(readSecret(settings.passwordFile, passwordFile.name));
    if (!password) {
      throw new EdgewatchError(
        ErrorCode.CONFIG_INVALID,
        `--${passwordFile.name} ${settings.passwordFile} does not hold a scrypt hash ` +
          '(scrypt$N$r$p$salt$hash); create one with `edgewatch hash-password`',
      );
    }
    basic = { usernameDigest: digest(settings.username), password };
  }
  if (token === undefined && basic === undefined) return undefined;
  return new CredentialCheck(token === undefined ? undefined : digest(token), basic, runtime);
}

function readSecret(path: string, option: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (err) {
    throw new EdgewatchError(
      ErrorCode.CONFIG_INVALID,
      `cannot read --${option} ${path}: ${errorMessage(err)}`,
    );
  }
}

class CredentialCheck implements Auth {
  readonly schemes: readonly AuthScheme[];
  /** sha256 of accepted Authorization headers → expiry (ms); insertion order is age. */
  readonly #verified = new Map<string, number>();
  /** Client address → its verification bucket; insertion order is recency. */
  readonly #buckets = new Map<string, { tokens: number; refilledAt: number }>();
  #verifying = 0;
  readonly #now: () => number;
  readonly #checkPassword: (plain: string, stored: PasswordHash) => Promise<boolean>;

  constructor(
    private readonly tokenDigest: Buffer | undefined,
    private readonly basic: BasicCredentials | undefined,
    runtime: AuthRuntime,
  ) {
    const schemes: AuthScheme[] = [];
    if (basic) schemes.push('Basic');
    if (tokenDigest) schemes.push('Bearer');
    this.schemes = schemes;
    this.#now = runtime.now ?? Date.now;
    this.#checkPassword = runtime.checkPassword ?? checkPassword;
  }

  async check(req: IncomingMessage): Promise<boolean> {
    const header = req.headers.authorization;
    if (!header) return false;
    const space = header.indexOf(' ');
    if (space === -1) return false;
    const scheme = header.slice(0, space).toLowerCase();
    const credentials = header.slice(space + 1).trim();
    if (scheme === 'bearer') {
      // Digests have equal lengths, so timingSafeEqual also hides the token's length.
      return this.tokenDigest !== undefined && timingSafeEqual(digest(credentials), this.tokenDigest);
    }
    if (scheme !== 'basic' || !this.basic) return false;

    const key = createHash('sha256').update(header).digest('hex');
    const now = this.#now();
    const expiry = this.#verified.get(key);
    if (expiry !== undefined) {
      if (expiry > now) return true;
      this.#verified.delete(key);
    }
    if (this.#verifying >= MAX_CONCURRENT_VERIFICATIONS) return false;
    if (!this.#takeVerifyToken(req.socket?.remoteAddress ?? '', now)) return false;
    this.#verifying++;
    try {
      const ok = await this.#verifyBasic(credentials, this.basic);
      if (ok) this.#remember(key, this.#now() + CACHE_TTL_MS);
      return ok;
    } finally {
      this.#verifying--;
    }
  }

  challenge(): Record<string, string> {
    return {
      'www-authenticate': this.basic ? `Basic realm="${REALM}", charset="UTF-8"` : `Bearer realm="${REALM}"`,
    };
  }

  #takeVerifyToken(client: string, now: number): boolean {
    const previous = this.#buckets.get(client);
    this.#buckets.delete(client);
    const tokens = previous
      ? Math.min(VERIFY_BURST, previous.tokens + ((now - previous.refilledAt) / 1000) * VERIFY_PER_SECOND)
      : VERIFY_BURST;
    const allowed = tokens >= 1;
    this.#buckets.set(client, { tokens: allowed ? tokens - 1 : tokens, refilledAt: now });
    if (this.#buckets.size > MAX_CLIENTS) {
      const oldest = this.#buckets.keys().next().value;
      if (oldest !== undefined) this.#buckets.delete(oldest);
    }
    return allowed;
  }

  #remember(key: string, expiry: number): void {
    if (this.#verified.size >= CACHE_MAX_ENTRIES) {
      const oldest = this.#verified.keys().next().value;
      if (oldest !== undefined) this.#verified.delete(oldest);
    }
    this.#verified.set(key, expiry);
  }

  async #verifyBasic(credentials: string, basic: BasicCredentials): Promise<boolean> {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1) return false;
    // scrypt runs whatever the name, so timing does not tell whether the username exists.
    const userOk = timingSafeEqual(digest(decoded.slice(0, colon)), basic.usernameDigest);
    const passwordOk = await this.#checkPassword(decoded.slice(colon + 1), basic.password);
    return userOk && passwordOk;
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * Refuses to serve beyond this machine without credentials: sensor data, the query API and the
 * alert receiver would otherwise be open to the whole network. Throws INSECURE_LISTEN.
 */
export function assertListenAllowed(listenAddress: string, auth: object | undefined): void {
  if (auth || isLoopbackHost(parseListenAddress(listenAddress).host)) return;
  const { tokenFile, username, passwordFile } = authOptions;
  throw new EdgewatchError(
    ErrorCode.INSECURE_LISTEN,
    `refusing to listen on ${listenAddress} without access control: listen on 127.0.0.1, or set ` +
      `--${tokenFile.name}, or --${username.name} and --${passwordFile.name}`,
  );
}
