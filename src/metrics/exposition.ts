/**
 * Prometheus text format 0.0.4 and OpenMetrics 1.0.0 writers.
 *
 * Everything that does not change between scrapes (HELP/TYPE headers, `name{labels} ` prefixes)
 * is built once, when a family or series is created; a scrape only joins those strings with
 * numbers. That is what keeps a scrape at tens of microseconds and a few kilobytes of garbage.
 */

export type ExpositionFormat = 'prometheus' | 'openmetrics';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'info';

export interface FamilySpec {
  /** Full sample name; counters end in `_total`, info metrics in `_info`. */
  name: string;
  help: string;
  type: MetricType;
}

const nameRe = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const labelNameRe = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** The HELP/TYPE block of a family in both formats, computed once. */
export class FamilyHeader {
  readonly name: string;
  readonly prometheus: string;
  readonly openmetrics: string;

  constructor(spec: FamilySpec) {
    if (!nameRe.test(spec.name)) throw new Error(`invalid metric name ${spec.name}`);
    if (spec.type === 'counter' && !spec.name.endsWith('_total')) {
      throw new Error(`counter ${spec.name} must end in _total`);
    }
    if (spec.type === 'info' && !spec.name.endsWith('_info'))
      throw new Error(`info ${spec.name} must end in _info`);
    this.name = spec.name;
    const help = escapeHelp(spec.help);
    // Prometheus 0.0.4 has no info type: an info metric is a gauge of value 1 there.
    const promType = spec.type === 'info' ? 'gauge' : spec.type;
    this.prometheus = `# HELP ${spec.name} ${help}\n# TYPE ${spec.name} ${promType}\n`;
    // OpenMetrics names the family without the _total/_info suffix its samples carry.
    const family =
      spec.type === 'counter'
        ? spec.name.slice(0, -6)
        : spec.type === 'info'
          ? spec.name.slice(0, -5)
          : spec.name;
    this.openmetrics = `# TYPE ${family} ${spec.type}\n# HELP ${family} ${help}\n`;
  }

  text(format: ExpositionFormat): string {
    return format === 'openmetrics' ? this.openmetrics : this.prometheus;
  }
}

export type Labels = Readonly<Record<string, string>>;

/** `{a="1",b="2"}`, or '' when there are no labels. Label order is the order given. */
export function formatLabels(labels: Labels, extra?: string): string {
  let out = '';
  for (const key in labels) {
    if (!labelNameRe.test(key)) throw new Error(`invalid label name ${key}`);
    out += `${out === '' ? '' : ','}${key}="${escapeLabelValue(labels[key] as string)}"`;
  }
  if (extra) out += `${out === '' ? '' : ','}${extra}`;
  return out === '' ? '' : `{${out}}`;
}

/** The one escaping of label values; reached only through formatLabels. */
function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** Go's strconv.FormatFloat(v, 'g', -1, 64) is what Prometheus accepts; JS numbers print compatibly. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}
