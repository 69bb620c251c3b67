/**
 * Metric names in PromQL expressions and in Prometheus text expositions, to check that alert
 * rules and dashboards read only series the apps export.
 * PromQL grammar: https://prometheus.io/docs/prometheus/latest/querying/basics/ and .../operators/;
 * text exposition format: https://prometheus.io/docs/instrumenting/exposition_formats/;
 * Grafana variables: https://grafana.com/docs/grafana/latest/datasources/prometheus/template-variables/.
 */

/** Aggregation operators: `sum by (le) (...)` names no metric although no `(` follows `sum`. */
const AGGREGATORS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
  'limitk',
  'limit_ratio',
]);
/** Keywords followed by a parenthesised list of label names. */
const LABEL_LIST_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
/** Other words that are never metric names: set operators, modifiers, float literals. */
const KEYWORDS = new Set(['and', 'or', 'unless', 'atan2', 'bool', 'offset', 'inf', 'nan']);

const IDENT_START = /[A-Za-z_:]/;
const IDENT_PART = /[A-Za-z0-9_:]/;

/** Index just past the string literal opening at `i` ("...", '...' or `...`; backslash escapes in the first two). */
function skipString(s: string, i: number): number {
  const quote = s[i];
  let j = i + 1;
  while (j < s.length && s[j] !== quote) j += quote !== '`' && s[j] === '\\' ? 2 : 1;
  return j + 1;
}

/** Index just past the bracket closing the one at `i` (`{`, `[` or `(`), skipping strings inside. */
function skipBalanced(s: string, i: number): number {
  const open = s[i];
  const close = open === '{' ? '}' : open === '[' ? ']' : ')';
  let depth = 0;
  let j = i;
  while (j < s.length) {
    const c = s[j];
    if (c === '"' || c === "'" || c === '`') {
      j = skipString(s, j);
      continue;
    }
    if (c === open) depth++;
    else if (c === close && --depth === 0) return j + 1;
    j++;
  }
  return j;
}

/** Index of the first non-blank character at or after `i`. */
function skipBlank(s: string, i: number): number {
  while (i < s.length && /\s/.test(s[i] as string)) i++;
  return i;
}

/** The identifier starting at `i` (empty when none). */
function identAt(s: string, i: number): string {
  if (i >= s.length || !IDENT_START.test(s[i] as string)) return '';
  let j = i + 1;
  while (j < s.length && IDENT_PART.test(s[j] as string)) j++;
  return s.slice(i, j);
}

/**
 * The metric names an expression selects, sorted and without duplicates: identifiers that are not
 * followed by `(` (functions, aggregations), not keywords, and not label names inside `{...}` or
 * after by/without/on/ignoring/group_left/group_right; `{__name__="x"}` selects `x`. Strings,
 * numbers, durations, ranges `[...]`, comments and Grafana variables (`$x`, `${x}`, `$__rate_interval`)
 * are skipped. Histogram series keep their suffix (`x_bucket`), as the expression names them.
 */
export function promqlMetricNames(expr: string): string[] {
  const names = new Set<string>();
  let i = 0;
  while (i < expr.length) {
    const c = expr[i] as string;
    if (c === '"' || c === "'" || c === '`') i = skipString(expr, i);
    else if (c === '#') i = expr.includes('\n', i) ? expr.indexOf('\n', i) : expr.length;
    else if (c === '{') {
      const end = skipBalanced(expr, i);
      const byName = /__name__\s*=\s*"([^"]+)"/.exec(expr.slice(i, end));
      if (byName?.[1]) names.add(byName[1]);
      i = end;
    } else if (c === '[') i = skipBalanced(expr, i);
    else if (c === '$') {
      i++;
      if (expr[i] === '{') i = skipBalanced(expr, i);
      else i += identAt(expr, i).length;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(expr[i + 1] ?? ''))) {
      // Numbers, hex, exponents and durations (5m, 1h30m): all the letters and digits that follow.
      i++;
      while (
        i < expr.length &&
        (/[A-Za-z0-9_.]/.test(expr[i] as string) || (/[eE]/.test(expr[i - 1] as string) && /[+-]/.test(expr[i] as string)))
      )
        i++;
    } else if (IDENT_START.test(c)) {
      const word = identAt(expr, i);
      i += word.length;
      const next = skipBlank(expr, i);
      const lower = word.toLowerCase();
      if (LABEL_LIST_KEYWORDS.has(lower)) {
        if (expr[next] === '(') i = skipBalanced(expr, next);
      } else if (expr[next] === '(' || KEYWORDS.has(lower)) {
        continue;
      } else if (AGGREGATORS.has(lower) && LABEL_LIST_KEYWORDS.has(identAt(expr, next).toLowerCase())) {
        continue;
      } else names.add(word);
    } else i++;
  }
  return [...names].sort();
}

/**
 * The metric names a Grafana Prometheus variable query reads: `label_values(expr, label)` and
 * `query_result(expr)` read the metrics of `expr`; `label_names()`, `label_values(label)` and
 * `metrics(regex)` read none that must exist.
 */
export function grafanaVariableMetricNames(query: string): string[] {
  const q = query.trim();
  const labelValues = /^label_values\(([\s\S]*),\s*[A-Za-z_][A-Za-z0-9_]*\s*\)$/.exec(q);
  if (labelValues?.[1]) return promqlMetricNames(labelValues[1]);
  const queryResult = /^query_result\(([\s\S]*)\)$/.exec(q);
  if (queryResult?.[1]) return promqlMetricNames(queryResult[1]);
  return [];
}

/**
 * The series names a text exposition (as prom-client serves at /metrics) declares in its `# TYPE`
 * lines, which prom-client prints for every registered metric even before a labelled one has a
 * value: a histogram `x` declares `x_bucket`, `x_sum` and `x_count`; a summary `x` declares `x`,
 * `x_sum` and `x_count`; a counter `x` also `x_total` when its name lacks the suffix (OpenMetrics).
 */
export function exposedSeriesNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) {
    const m = /^#\s*TYPE\s+(\S+)\s+(\S+)/.exec(line);
    if (!m?.[1] || !m[2]) continue;
    const [, name, type] = m;
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
    else if (type === 'summary') for (const suffix of ['', '_sum', '_count']) names.add(`${name}${suffix}`);
    else {
      names.add(name);
      if (type === 'counter' && !name.endsWith('_total')) names.add(`${name}_total`);
    }
  }
  return names;
}
