import type { Expr, QuerySpec } from './server-queries.js';

/**
 * Which metric names a query reads, and whether a target exports them: what tells "no events"
 * (exported, nothing in the window: zero) from "not exported" (missing). A name starting with "~"
 * is an anchored regex over sample names, as in query expressions.
 */

/** Sample names an expression selects: `metric`, or `metric_bucket` for a quantile. */
export function exprNames(expr: Expr): string[] {
  switch (expr.kind) {
    case 'ratio':
      return [...new Set([...exprNames(expr.num), ...exprNames(expr.den)])];
    case 'quantile':
      return [expr.metric.startsWith('~') ? `~(?:${expr.metric.slice(1)})_bucket` : `${expr.metric}_bucket`];
    default:
      return [expr.metric];
  }
}

/**
 * Metric names in raw PromQL: identifiers right before a selector's `{` or a range's `[`, and
 * `__name__="..."` matchers. Undefined when none is found (a bare `sum(up)`): exported-ness unknown.
 */
export function promqlNames(promql: string): string[] | undefined {
  const names = new Set<string>();
  for (const m of promql.matchAll(/__name__\s*=\s*"([a-zA-Z_:][a-zA-Z0-9_:]*)"/g)) names.add(m[1]!);
  // Label values could hold anything: look for selectors outside string literals only.
  const text = promql.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  for (const m of text.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*[{[]/g)) names.add(m[1]!);
  for (const keyword of ['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'offset', 'bool']) names.delete(keyword);
  return names.size ? [...names] : undefined;
}

export function queryNames(query: QuerySpec): string[] | undefined {
  if (query.promql) return promqlNames(query.promql);
  return query.expr ? exprNames(query.expr) : undefined;
}

const suffixes = ['_bucket', '_count', '_sum', '_total', '_created'];

/** The family (`# TYPE`) name a sample name belongs to: histogram and counter suffixes dropped. */
export function familyOf(name: string): string {
  const suffix = suffixes.find((s) => name.endsWith(s) && name.length > s.length);
  return suffix ? name.slice(0, -suffix.length) : name;
}

const regexCache = new Map<string, RegExp>();
function anchored(source: string): RegExp {
  let re = regexCache.get(source);
  if (!re) regexCache.set(source, (re = new RegExp(`^(?:${source})$`)));
  return re;
}

/**
 * Whether `name` is exported, given the names a scrape declared (`# TYPE` family names) or
 * carried (sample names): a family declared with no sample yet counts, as does a sample of it.
 */
export function isExported(name: string, known: Set<string>): boolean {
  if (name.startsWith('~')) {
    const re = anchored(name.slice(1));
    for (const k of known) if (re.test(k) || suffixes.some((s) => re.test(k + s))) return true;
    return false;
  }
  return known.has(name) || known.has(familyOf(name)) || known.has(`${name}_total`);
}

/** The names of `names` no target exports (empty: all exported). */
export function absentNames(names: string[], known: Set<string>): string[] {
  return names.filter((n) => !isExported(n, known));
}
