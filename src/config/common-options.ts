import { defineOptions } from './option.js';

export const commonOptions = defineOptions({
  logLevel: {
    name: 'log.level',
    kind: 'enum',
    allowed: ['debug', 'info', 'warn', 'error'],
    default: 'info',
    description: 'Least severe log level written to stderr (JSON, one object per line).',
  },
  dataPath: {
    name: 'storage.path',
    kind: 'string',
    default: 'edgewatch-data',
    description:
      "Data directory (VictoriaMetrics' data, vmagent's queue). Relative to the working directory; its filesystem is the one node_filesystem_* reports.",
  },
});
