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
    default: 8192,
    min: 1024,
    max: 65536,
    description: 'Largest request header block accepted; larger requests get 431.',
  },
  requestTimeout: {
    name: 'web.request-timeout',
    kind: 'duration',
    default: 30_000,
    min: 1000,
    description: 'Deadline for receiving a whole request; slower clients are disconnected.',
  },
  keepAliveTimeout: {
    name: 'web.keep-alive-timeout',
    kind: 'duration',
    default: 65_000,
    min: 0,
    description:
      'How long an idle keep-alive connection stays open (longer than a 15 s or 60 s scrape interval).',
  },
  allowedHosts: {
    name: 'web.allowed-hosts',
    kind: 'list',
    default: [],
    defaultText: '(none: loopback names, and IP addresses when listening beyond loopback)',
    description:
      'Host names, besides loopback names and IP addresses, that browsers may use to reach edgewatch (e.g. box-17.site.example). Requests naming another Host get 421: this stops DNS rebinding from reading the API through a browser.',
  },
  maxConnections: {
    name: 'web.max-connections',
    kind: 'int',
    default: 256,
    min: 8,
    max: 65536,
    description:
      'Most open connections at once; more are refused at accept. Each idle connection costs ~10 KB (2,000 raised RSS by ~20 MB), so the default holds it to ~2.5 MB.',
  },
  logRequests: {
    name: 'web.log-requests',
    kind: 'bool',
    default: false,
    description: 'Log one line per HTTP request.',
  },
});
