import { defineOptions } from '../config/option.js';
import { listenAddressProblem } from './server.js';

export const webOptions = defineOptions({
  listenAddress: {
    name: 'web.listen-address',
    kind: 'string',
    default: '127.0.0.1:8000',
    check: listenAddressProblem,
    description:
      'Address the HTTP server listens on, host:port. Anything but loopback requires web.auth.* credentials.',
  },
  maxHeaderSize: {
    name: 'web.max-header-size',
    kind: 'bytes',
    unit: 'bytes',
    default: 8192,
    min: 1024,
    max: 65536,
    description: 'Largest request header block accepted; larger requests get 431.',
  },
  requestTimeout: {
    name: 'web.request-timeout',
    kind: 'duration',
    unit: 'duration',
    default: 30_000,
    min: 1000,
    description: 'Deadline for receiving a whole request; slower clients are disconnected.',
  },
  keepAliveTimeout: {
    name: 'web.keep-alive-timeout',
    kind: 'duration',
    unit: 'duration',
    default: 65_000,
    min: 0,
    description:
      'How long an idle keep-alive connection stays open (longer than a 15 s or 60 s scrape interval).',
  },
  logRequests: {
    name: 'web.log-requests',
    kind: 'bool',
    default: false,
    description: 'Log one line per HTTP request.',
  },
});
