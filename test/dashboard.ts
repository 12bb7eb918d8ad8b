// The Grafana dashboard of `make up OBS=1` as the tests read it: every panel's PromQL with the dashboard's variables
// substituted as Grafana would for "All" and a recent range, and the metric names each expression reads.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One query of a panel. */
export interface PanelQuery {
  panel: string;
  refId: string;
  expr: string;
}

interface Dashboard {
  uid: string;
  panels: { title: string; datasource?: { uid?: string }; targets?: { refId: string; expr?: string }[] }[];
  templating: { list: { name: string; allValue?: string }[] };
}

export const dashboardPath = fileURLToPath(
  new URL('../deploy/observability/grafana/dashboards/kafka-webshop.json', import.meta.url),
);

export const dashboard = JSON.parse(readFileSync(dashboardPath, 'utf8')) as Dashboard;

/** Grafana's built-in range variables, at values that fit a test's minute of data. */
const builtins: Record<string, string> = { __rate_interval: '30s', __range: '5m', __interval: '5s' };

/** `expr` with `$name` / `${name}` replaced: template variables by their "All" value, built-ins as above. */
export function substituted(expr: string): string {
  const values: Record<string, string> = { ...builtins };
  for (const variable of dashboard.templating.list) values[variable.name] = variable.allValue ?? '.*';
  return expr.replace(/\$\{?(\w+)\}?/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`the dashboard's query uses an unknown variable ${whole}`);
    return value;
  });
}

/** Every panel's queries, variables substituted. */
export function panelQueries(): PanelQuery[] {
  return dashboard.panels.flatMap((panel) =>
    (panel.targets ?? []).map(({ refId, expr }) => ({ panel: panel.title, refId, expr: substituted(expr ?? '') })),
  );
}

const keywords = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'and']);

/**
 * The metric names a PromQL expression selects: identifiers that are neither functions, aggregations, keywords,
 * label names (inside braces or a by/without list) nor strings and durations.
 * @example metricNames('sum by (le) (rate(x_bucket{a="b"}[1m]))') // ['x_bucket']
 */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = [...bare.matchAll(/(?<![\w.])([a-zA-Z_:][\w:]*)(?![\w:])(?!\s*\()/g)].map((match) => match[1]!);
  return [...new Set(names.filter((name) => !keywords.has(name) && !/^(inf|nan)$/i.test(name)))];
}
