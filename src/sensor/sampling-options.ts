import { defineOptions } from '../config/option.js';

export const samplingOptions = defineOptions({
  interval: {
    name: 'sensor.interval',
    kind: 'duration',
    unit: 'duration',
    default: 5000,
    min: 100,
    max: 3_600_000,
    description:
      'How often every sensor, the host and the process are sampled. Scrapes read the cache in between.',
  },
  readTimeout: {
    name: 'sensor.read-timeout',
    kind: 'duration',
    unit: 'duration',
    default: 2000,
    min: 10,
    description:
      'A read that takes longer counts as failed; the sensor is not read again until the hung read returns.',
  },
  staleAfter: {
    name: 'sensor.stale-after',
    kind: 'duration',
    unit: 'duration',
    default: 15_000,
    min: 100,
    description:
      'Readings older than this are reported stale and dropped from /metrics. Keep it at 2-3 times sensor.interval.',
  },
  rediscoverInterval: {
    name: 'sensor.rediscover-interval',
    kind: 'duration',
    unit: 'duration',
    default: 30_000,
    min: 0,
    max: 3_600_000,
    description:
      'How often the sysfs sensor directories are listed for sensors plugged in after start or re-numbered by the kernel (hwmon1 back as hwmon3 after a reset); discovery runs again only when a listing changed, and what appeared or vanished is logged. Listings only, no reads: ~10 readdir calls on a typical box. 0s turns it off.',
  },
});
