/**
 * The contract of the `remote_write:` and `device:` sections: the typed shapes the stack, the
 * uplink monitor and the backfill read, and the decoders that turn YAML into them or say, with
 * the key's path, what is wrong. Files named here are checked later (checkEndpointFiles), when
 * the stack is prepared: decoding has no I/O.
 */
import { parseBytes } from '../config/units.js';

export interface EndpointTls {
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly serverName?: string;
  readonly insecureSkipVerify: boolean;
}

export interface RemoteWriteEndpoint {
  /** Prometheus remote-write URL, e.g. https://central.example/api/v1/write. */
  readonly url: string;
  readonly bearerTokenFile?: string;
  readonly basicAuth?: { readonly username: string; readonly passwordFile: string };
  readonly tls?: EndpointTls;
  /** -remoteWrite.maxDiskUsagePerURL: the oldest queued data is dropped beyond it. */
  readonly maxDiskUsageBytes: number;
  /**
   * Where the backfill re-sends from local storage (VictoriaMetrics' /api/v1/import); derived
   * from a URL ending in /api/v1/write, else undefined: a plain remote-write endpoint gets no
   * backfill.
   */
  readonly importUrl?: string;
}

/** `device:` labels, attached to every sample sent to an endpoint (not to local storage). */
export type DeviceLabels = Readonly<Record<string, string>>;

/**
 * vmagent's default queue cap here: ~500 MB chunk files, so a smaller cap is only reached
 * a chunk later (machine.md); 1 GiB holds ~5 days of 300 series every 15 s at ~50 B per sample.
 */
export const DEFAULT_MAX_DISK_USAGE = 1024 ** 3;
const MIN_DISK_USAGE = 1024 ** 2;
/** Enough for site, device, region, customer…; each is repeated on every sample on the wire. */
const MAX_DEVICE_LABELS = 16;
const MAX_LABEL_VALUE_LENGTH = 128;
/** Labels the scrape sets: a device label of the same name would overwrite them. */
const RESERVED_LABELS = new Set(['job', 'instance']);
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

type Raw = Record<string, unknown>;

function mapping(value: unknown, where: string): Raw {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${where} must be a mapping`);
  }
  return value as Raw;
}

function onlyKeys(raw: Raw, allowed: readonly string[], where: string): void {
  const bad = Object.keys(raw).find((key) => !allowed.includes(key));
  if (bad !== undefined) throw new Error(`unknown key ${where}.${bad} (allowed: ${allowed.join(', ')})`);
}

function text(raw: Raw, key: string, where: string): string | undefined {
  const value = raw[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.trim() === '')
    throw new Error(`${where}.${key} must be a non-empty string`);
  // vmagent splits its list flags at commas: a comma would shift every later endpoint's setting.
  if (value.includes(',')) throw new Error(`${where}.${key} must not contain a comma`);
  return value;
}

/** http(s)://host[:port]/path, without credentials in it (they would show in `ps` and logs). */
export function checkUrl(value: string, where: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${where} "${value}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`${where} must be http:// or https://`);
  if (url.username !== '' || url.password !== '') {
    throw new Error(
      `${where} must not hold credentials: use basic_auth with a password_file, or bearer_token_file`,
    );
  }
  if (url.hash !== '') throw new Error(`${where} must not have a #fragment`);
  return value;
}

/** .../api/v1/write → .../api/v1/import, also behind vmauth (/insert/0/prometheus/api/v1/write). */
export function deriveImportUrl(writeUrl: string): string | undefined {
  const url = new URL(writeUrl);
  if (!url.pathname.endsWith('/api/v1/write')) return undefined;
  url.pathname = `${url.pathname.slice(0, -'write'.length)}import`;
  return url.toString();
}

function decodeTls(value: unknown, where: string): EndpointTls {
  const raw = mapping(value, where);
  onlyKeys(raw, ['ca_file', 'cert_file', 'key_file', 'server_name', 'insecure_skip_verify'], where);
  const certFile = text(raw, 'cert_file', where);
  const keyFile = text(raw, 'key_file', where);
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new Error(`${where}: cert_file and key_file go together (a client certificate needs its key)`);
  }
  const skip = raw.insecure_skip_verify ?? false;
  if (typeof skip !== 'boolean') throw new Error(`${where}.insecure_skip_verify must be true or false`);
  return {
    caFile: text(raw, 'ca_file', where),
    certFile,
    keyFile,
    serverName: text(raw, 'server_name', where),
    insecureSkipVerify: skip,
  };
}

function decodeEndpoint(value: unknown, where: string): RemoteWriteEndpoint {
  const raw = mapping(value, where);
  onlyKeys(raw, ['url', 'bearer_token_file', 'basic_auth', 'tls', 'max_disk_usage', 'import_url'], where);
  const url = text(raw, 'url', where);
  if (url === undefined) throw new Error(`${where}.url is required`);
  checkUrl(url, `${where}.url`);
  const bearerTokenFile = text(raw, 'bearer_token_file', where);
  let basicAuth: RemoteWriteEndpoint['basicAuth'];
  if (raw.basic_auth !== undefined) {
    const authWhere = `${where}.basic_auth`;
    const auth = mapping(raw.basic_auth, authWhere);
    onlyKeys(auth, ['username', 'password_file'], authWhere);
    const username = text(auth, 'username', authWhere);
    const passwordFile = text(auth, 'password_file', authWhere);
    if (username === undefined || passwordFile === undefined) {
      throw new Error(
        `${authWhere} needs username and password_file (a password is never written in the config)`,
      );
    }
    basicAuth = { username, passwordFile };
  }
  if (bearerTokenFile !== undefined && basicAuth !== undefined) {
    throw new Error(`${where}: bearer_token_file and basic_auth exclude each other`);
  }
  let maxDiskUsageBytes = DEFAULT_MAX_DISK_USAGE;
  if (raw.max_disk_usage !== undefined) {
    const bytes = parseBytes(raw.max_disk_usage);
    if (bytes === undefined || bytes < MIN_DISK_USAGE) {
      throw new Error(`${where}.max_disk_usage must be a size of at least 1MiB, such as 512MiB or 2GiB`);
    }
    maxDiskUsageBytes = bytes;
  }
  const importUrl = text(raw, 'import_url', where);
  if (importUrl !== undefined) checkUrl(importUrl, `${where}.import_url`);
  return {
    url,
    bearerTokenFile,
    basicAuth,
    tls: raw.tls === undefined ? undefined : decodeTls(raw.tls, `${where}.tls`),
    maxDiskUsageBytes,
    importUrl: importUrl ?? deriveImportUrl(url),
  };
}

export function decodeRemoteWrite(value: unknown): readonly RemoteWriteEndpoint[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw new Error('remote_write must be a list of endpoints (- url: ...)');
  const endpoints = value.map((item, i) => decodeEndpoint(item, `remote_write[${i}]`));
  const urls = new Set<string>();
  for (const [i, endpoint] of endpoints.entries()) {
    if (urls.has(endpoint.url)) throw new Error(`remote_write[${i}].url repeats an earlier endpoint`);
    urls.add(endpoint.url);
  }
  return endpoints;
}

export function decodeDeviceLabels(value: unknown): DeviceLabels {
  if (value === null || value === undefined) return {};
  const raw = mapping(value, 'device');
  const entries = Object.entries(raw);
  if (entries.length > MAX_DEVICE_LABELS)
    throw new Error(`device has ${entries.length} labels, at most ${MAX_DEVICE_LABELS}`);
  const labels: Record<string, string> = {};
  for (const [name, label] of entries) {
    if (!LABEL_NAME.test(name) || name.startsWith('__')) {
      throw new Error(
        `device.${name}: a label name is letters, digits and _, not starting with a digit or __`,
      );
    }
    if (RESERVED_LABELS.has(name))
      throw new Error(`device.${name}: the scrape sets ${name}; pick another name`);
    if (typeof label !== 'string' && typeof label !== 'number')
      throw new Error(`device.${name} must be a string`);
    const shown = String(label);
    if (shown === '' || shown.length > MAX_LABEL_VALUE_LENGTH || /[\n\r,]/.test(shown)) {
      throw new Error(
        `device.${name} must be 1 to ${MAX_LABEL_VALUE_LENGTH} characters, without commas or line breaks`,
      );
    }
    labels[name] = shown;
  }
  return labels;
}
