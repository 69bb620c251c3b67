import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { exposedSeriesNames, grafanaVariableMetricNames, promqlMetricNames } from '../../scripts/promql-metric-names';
import { env, eventually } from '../support/e2e';

const ROOT = resolve(__dirname, '..', '..');
const DASHBOARDS = join(ROOT, 'deploy/grafana/dashboards');
const ALERTS = join(ROOT, 'deploy/prometheus/alerts.yml');
/** The apps of the `gateway` job (infra/prometheus/prometheus.yml). */
const APPS = ['api', 'call-orchestrator', 'sms-connector', 'webhook-ingress', 'workers'];
/** Series Prometheus itself writes for every target and alert, not the apps. */
const PROMETHEUS_SERIES = [
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling',
  'scrape_series_added',
  'ALERTS',
  'ALERTS_FOR_STATE',
];

/** One active target of `GET /api/v1/targets` (https://prometheus.io/docs/prometheus/latest/querying/api/#targets). */
interface Target {
  labels: Record<string, string>;
  scrapeUrl: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
}

/** A Grafana dashboard as far as its queries go: panels (rows nest theirs), variables, annotations. */
interface Panel {
  title: string;
  type: string;
  datasource?: { type?: string; uid?: string };
  targets?: { expr?: string }[];
  panels?: Panel[];
}
interface Dashboard {
  uid: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: { name: string; type: string; query?: string | { query?: string } }[] };
  annotations: { list: { expr?: string }[] };
}

/** GET (or POST a form to) the Prometheus API; its `data` on status success, else throws its error. */
async function prometheus<T>(path: string, form?: Record<string, string>): Promise<T> {
  const res = await fetch(`${env('PROMETHEUS_URL')}${path}`, {
    method: form ? 'POST' : 'GET',
    body: form ? new URLSearchParams(form) : undefined,
    signal: AbortSignal.timeout(5000),
  });
  const body = (await res.json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`${path}: ${body.error ?? res.status}`);
  return body.data;
}

function dashboards(): { file: string; dashboard: Dashboard }[] {
  return readdirSync(DASHBOARDS)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, dashboard: JSON.parse(readFileSync(join(DASHBOARDS, file), 'utf8')) as Dashboard }));
}

/** Every query of a dashboard, keyed `<file> <where>`: panel targets, variable queries (metric names only), annotations. */
function dashboardQueries(): { where: string; expr?: string; names: string[] }[] {
  const out: { where: string; expr?: string; names: string[] }[] = [];
  for (const { file, dashboard } of dashboards()) {
    const walk = (panels: Panel[]): void => {
      for (const p of panels) {
        for (const t of p.targets ?? [])
          if (t.expr) out.push({ where: `${file} panel "${p.title}"`, expr: t.expr, names: promqlMetricNames(t.expr) });
        walk(p.panels ?? []);
      }
    };
    walk(dashboard.panels);
    for (const v of dashboard.templating.list) {
      const query = typeof v.query === 'string' ? v.query : v.query?.query;
      if (v.type === 'query' && query) out.push({ where: `${file} variable $${v.name}`, names: grafanaVariableMetricNames(query) });
    }
    for (const a of dashboard.annotations.list) {
      if (a.expr) out.push({ where: `${file} annotation`, expr: a.expr, names: promqlMetricNames(a.expr) });
    }
  }
  return out;
}

/**
 * The local Prometheus against the running apps: it scrapes every app of the `gateway` job, it
 * loaded deploy/prometheus/alerts.yml, and every metric an alert rule or a Grafana dashboard reads
 * is declared (`# TYPE`) in some app's /metrics, so no rule or panel watches a series that never exists.
 */
describe('observability: Prometheus, alert rules and dashboards against the apps', () => {
  let exportedOnce: Promise<Set<string>> | undefined;

  /** The active targets of a job. */
  async function targetsOf(job: string): Promise<Target[]> {
    const data = await prometheus<{ activeTargets: Target[] }>('/api/v1/targets?state=active');
    return data.activeTargets.filter((t) => t.labels.job === job);
  }

  /** The series names the gateway job's apps declare at /metrics, plus those Prometheus writes itself (fetched once). */
  function exported(): Promise<Set<string>> {
    exportedOnce ??= (async () => {
      const names = new Set(PROMETHEUS_SERIES);
      const targets = await targetsOf('gateway');
      if (targets.length !== APPS.length) throw new Error(`the gateway job has ${targets.length} targets, not ${APPS.length}`);
      for (const t of targets) {
        const res = await fetch(t.scrapeUrl, { signal: AbortSignal.timeout(5000) });
        if (!res.ok) throw new Error(`GET ${t.scrapeUrl}: ${res.status}`);
        for (const name of exposedSeriesNames(await res.text())) names.add(name);
      }
      return names;
    })();
    return exportedOnce;
  }

  it('scrapes every app of the gateway job, and the fleet replicas as a job of their own', async () => {
    const main = await eventually(
      async () => {
        const targets = await targetsOf('gateway');
        const notUp = targets.filter((t) => t.health !== 'up').map((t) => `${t.labels.app} ${t.scrapeUrl}: ${t.health} ${t.lastError}`);
        if (targets.length < APPS.length || notUp.length > 0)
          throw new Error(`gateway targets not all up: ${notUp.join('; ') || targets.length}`);
        return targets;
      },
      20000,
      'every target of the gateway job up in Prometheus',
      500,
    );
    expect(main.map((t) => t.labels.app).sort()).toEqual(APPS);
    const fleet = await targetsOf('gateway-fleet');
    expect(fleet.map((t) => t.labels.replica).sort()).toEqual(['orchestrator-a', 'orchestrator-b']);
  });

  it('loaded every alert rule of deploy/prometheus/alerts.yml', async () => {
    const data = await prometheus<{ groups: { rules: { name: string; type: string }[] }[] }>('/api/v1/rules?type=alert');
    const loaded = data.groups.flatMap((g) => g.rules.map((r) => r.name)).sort();
    const declared = [...readFileSync(ALERTS, 'utf8').matchAll(/^\s*- alert:\s*(\S+)/gm)].map((m) => m[1]).sort();
    expect(declared.length).toBeGreaterThan(0);
    expect(loaded).toEqual(declared);
  });

  it('exports every metric an alert rule reads', async () => {
    const data = await prometheus<{ groups: { rules: { name: string; query: string }[] }[] }>('/api/v1/rules?type=alert');
    const known = await exported();
    const missing: Record<string, string[]> = {};
    for (const rule of data.groups.flatMap((g) => g.rules)) {
      const names = promqlMetricNames(rule.query);
      expect(names.length).toBeGreaterThan(0);
      const absent = names.filter((n) => !known.has(n));
      if (absent.length > 0) missing[rule.name] = absent;
    }
    expect(missing).toEqual({});
  });

  it('exports every metric a dashboard panel, variable or annotation reads', async () => {
    const known = await exported();
    const queries = dashboardQueries();
    expect(queries.length).toBeGreaterThan(0);
    const missing: Record<string, string[]> = {};
    for (const q of queries) {
      const absent = q.names.filter((n) => !known.has(n));
      if (absent.length > 0) missing[q.where] = [...(missing[q.where] ?? []), ...absent];
    }
    expect(missing).toEqual({});
  });

  it('has dashboards Prometheus can run: valid PromQL on the DS_PROMETHEUS data source', async () => {
    const invalid: Record<string, string> = {};
    for (const { file, dashboard } of dashboards()) {
      expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
      expect(dashboard.templating.list.find((v) => v.name === 'DS_PROMETHEUS')?.type).toBe('datasource');
      const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]).filter((p) => p.type !== 'row');
      for (const p of panels)
        expect({ file, panel: p.title, uid: p.datasource?.uid }).toEqual({ file, panel: p.title, uid: '${DS_PROMETHEUS}' });
    }
    for (const q of dashboardQueries()) {
      if (!q.expr) continue;
      // Grafana's interval variables become a duration, the dashboards' own variables match anything.
      const expr = q.expr.replace(/\$__(rate_interval|interval|range)/g, '5m').replace(/\$\{?[A-Za-z_][A-Za-z0-9_]*(:[a-z]+)?\}?/g, '.*');
      await prometheus('/api/v1/query', { query: expr }).catch((err: Error) => (invalid[q.where] = err.message));
    }
    expect(invalid).toEqual({});
  });
});
