import { defineOptions } from '../config/option.js';

export const hostOptions = defineOptions({
  interval: {
    name: 'host.interval',
    kind: 'duration',
    default: 15_000,
    min: 1000,
    max: 3_600_000,
    description:
      "How often host health (node_* metrics), the process metrics and, under `edgewatch up`, the components' memory are sampled. Default matches the 15 s scrape interval: sampling faster only costs CPU.",
  },
});
