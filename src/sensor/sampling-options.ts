import { defineOptions } from '../config/option.js';

export const samplingOptions = defineOptions({
  interval: {
    name: 'sensor.interval',
    kind: 'duration',
    default: 5000,
    min: 100,
    max: 3_600_000,
    description:
      'How often every sensor, the host and the process are sampled. Scrapes read the cache in between.',
  },
  readTimeout: {
    name: 'sensor.read-timeout',
    kind: 'duration',
    default: 2000,
    min: 10,
    description:
      'A read that takes longer counts as failed; the sensor is not read again until the hung read returns.',
  },
  flapWindow: {
    name: 'sensor.flap-window',
    kind: 'duration',
    default: 60_000,
    min: 1000,
    description:
      'A sensor that changes between working and failing more than 4 times within this window is logged once as flapping, then not per change until it has been steady for the whole window (a loose connector would log every read).',
  },
  staleAfter: {
    name: 'sensor.stale-after',
    kind: 'duration',
    default: 15_000,
    min: 100,
    description:
      'Readings older than this are reported stale and dropped from /metrics. Keep it at 2-3 times sensor.interval.',
  },
  rediscoverInterval: {
    name: 'sensor.rediscover-interval',
    kind: 'duration',
    default: 30_000,
    min: 0,
    max: 3_600_000,
    description:
      'How often the sysfs sensor directories are listed for sensors plugged in after start or re-numbered by the kernel (hwmon1 back as hwmon3 after a reset); discovery runs again only when a listing changed, and what appeared or vanished is logged. Listings only, no reads: ~10 readdir calls on a typical box. 0s turns it off.',
  },
});
