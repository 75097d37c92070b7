/**
 * The query proxy's allow-list, as data: the read-only VictoriaMetrics endpoints it forwards and
 * the parameters each may carry. Routes, parameter checks and the 403 message all derive from it.
 */

export interface Endpoint {
  /** Route name (request metrics label). */
  name: string;
  /** Parameters forwarded upstream; `match[]` may repeat, the others are single-valued. */
  params: readonly string[];
  required: readonly string[];
}

export const endpoints = {
  '/api/v1/query': { name: 'query', params: ['query', 'time', 'timeout'], required: ['query'] },
  '/api/v1/query_range': {
    name: 'query_range',
    params: ['query', 'start', 'end', 'step', 'timeout'],
    required: ['query', 'start', 'end', 'step'],
  },
  '/api/v1/series': { name: 'series', params: ['match[]', 'start', 'end', 'limit'], required: ['match[]'] },
  '/api/v1/labels': { name: 'labels', params: ['match[]', 'start', 'end', 'limit'], required: [] },
} satisfies Record<string, Endpoint>;

export const labelValues: Endpoint = {
  name: 'label_values',
  params: ['match[]', 'start', 'end', 'limit'],
  required: [],
};
export const labelPrefix = '/api/v1/label/';
/** Shown with a 403, so the user learns which doors are open. */
export const labelValuesDoor = `${labelPrefix}<name>/values`;
const openDoors = [...Object.keys(endpoints), labelValuesDoor];
export const openEndpointsText = `${openDoors.slice(0, -1).join(', ')} and ${openDoors.at(-1)}`;
