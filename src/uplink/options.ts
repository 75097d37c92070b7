/**
 * The uplink to a central store: where to send (remote_write), who this box is (device), and how
 * edgewatch watches and repairs the delivery. Only in the config file: endpoints are structures.
 */
import { COMPONENT_NAMES } from '../budget/plan.js';
import { defineOptions } from '../config/option.js';
import {
  type DeviceLabels,
  decodeDeviceLabels,
  decodeRemoteWrite,
  type RemoteWriteEndpoint,
} from './remote-write-config.js';

export const uplinkOptions = defineOptions({
  remoteWrite: {
    name: 'remote-write',
    kind: 'json',
    fileOnly: true,
    default: [] as readonly RemoteWriteEndpoint[],
    defaultText: '(none: no vmagent runs)',
    description:
      'Central stores every sample is also sent to, a list of {url, bearer_token_file | basic_auth: {username, password_file}, tls: {ca_file, cert_file, key_file, server_name, insecure_skip_verify}, max_disk_usage (default 1GiB, the on-disk queue cap; the oldest data is dropped beyond it), import_url}. With at least one, edgewatch up runs vmagent as the scraper with an on-disk queue per endpoint under storage.path. import_url (derived from a URL ending in /api/v1/write) is where lost windows are re-sent from local storage; without it, an endpoint gets only what vmagent delivers.',
    decode: decodeRemoteWrite,
  },
  device: {
    name: 'device',
    kind: 'json',
    fileOnly: true,
    default: {} as DeviceLabels,
    defaultText: '(none)',
    description:
      'Identity labels added to every sample sent to the remote_write endpoints (not to local storage), e.g. {site: berlin-3, device: crane-12}. Label names as Prometheus allows, not job or instance.',
    decode: decodeDeviceLabels,
  },
  jobs: {
    name: 'uplink.jobs',
    kind: 'list',
    allowed: COMPONENT_NAMES,
    default: ['edgewatch'],
    description:
      "Scrape jobs sent to the remote_write endpoints; local storage keeps all. edgewatch's own job holds the readings, host health, component memory, alerts and uplink state (~100 series); the components' self-metrics add ~2,000 series, ~20 times the uplink bytes (measured ~280 MB a day per box at 15 s with all four jobs).",
    check: (jobs) => (jobs.length === 0 ? 'name at least one job' : undefined),
  },
  pollInterval: {
    name: 'uplink.poll-interval',
    kind: 'duration',
    default: 15_000,
    min: 500,
    max: 300_000,
    description:
      "How often edgewatch reads vmagent's /metrics for each endpoint's state (edgewatch_uplink_* metrics) and the last time everything was known delivered.",
  },
  rateLimit: {
    name: 'uplink.rate-limit',
    kind: 'bytes',
    unit: 'bytes per second',
    default: 256 * 1024,
    min: 0,
    description:
      "Ceiling on what each endpoint is sent per second, by vmagent catching up on its queue (-remoteWrite.rateLimit) and by the backfill alike, so a fleet coming back from an outage does not flood the central. 0: unlimited. 256KiB/s is ~5,000 samples/s on the wire; 1,000 boxes at it are 256 MB/s at the central's vmauth.",
  },
});
