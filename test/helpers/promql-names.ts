/**
 * The metric names a PromQL expression reads, for checking that slimming the stored series
 * (src/stack/kept-series.ts) keeps everything the rules and dashboards use. Enough PromQL for
 * them: strings, label matchers, ranges and by/on/without/ignoring/group_* label lists are
 * removed, then every identifier that is not a function call, a keyword or part of a number is a
 * metric name.
 */

const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan', 'by', 'without', 'on']);

export function promqlMetricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/gi, ' ');
  const names = new Set<string>();
  for (const m of bare.matchAll(/[A-Za-z_:][\w:]*/g)) {
    const start = m.index ?? 0;
    const word = m[0];
    if (start > 0 && /[\w.]/.test(bare[start - 1] as string)) continue; // 5m, 1e3, 0.5
    if (/^\s*\(/.test(bare.slice(start + word.length))) continue; // a function
    if (KEYWORDS.has(word.toLowerCase())) continue;
    names.add(word);
  }
  return [...names];
}
