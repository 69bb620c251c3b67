import { Counter, Gauge, Histogram, Registry, Summary } from 'prom-client';
import { exposedSeriesNames, grafanaVariableMetricNames, promqlMetricNames } from './promql-metric-names';

describe('promqlMetricNames', () => {
  it('returns the metric of a selector, not its label names or values', () => {
    expect(promqlMetricNames('gw_outbox_lag_seconds{job="gateway", app=~"work.*", instance!="x"}')).toEqual(['gw_outbox_lag_seconds']);
  });

  it('skips functions and aggregations, with the label list before or after the body', () => {
    expect(promqlMetricNames('sum by (connector, le) (rate(gw_sms_receipt_seconds_bucket{status="delivered"}[15m]))')).toEqual([
      'gw_sms_receipt_seconds_bucket',
    ]);
    expect(promqlMetricNames('sum(rate(a_total[5m])) by (job) / sum without (instance) (rate(b_total[5m]))')).toEqual([
      'a_total',
      'b_total',
    ]);
    expect(promqlMetricNames('count(up) BY (app)')).toEqual(['up']);
  });

  it('skips numbers, durations, offsets and the @ modifier', () => {
    expect(promqlMetricNames('histogram_quantile(0.95, x_bucket) > 1.5e+3')).toEqual(['x_bucket']);
    expect(promqlMetricNames('delta(g[1h30m]) - g offset 5m + g offset -1d + g @ end() + 0x1F')).toEqual(['g']);
  });

  it('skips the label lists of vector matching', () => {
    expect(promqlMetricNames('a * on (instance, job) group_left (version) b + ignoring(x) c')).toEqual(['a', 'b', 'c']);
    expect(promqlMetricNames('a * on(instance) group_left b')).toEqual(['a', 'b']);
  });

  it('skips keywords and float literals, and takes every operand of set and comparison operators', () => {
    expect(promqlMetricNames('a > bool 1 and b unless c or d == NaN or e < Inf')).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('reads a metric named by __name__ and ignores a __name__ regex', () => {
    expect(promqlMetricNames('{__name__="gw_calls_active", job="gateway"} + {__name__=~"gw_.*"}')).toEqual(['gw_calls_active']);
  });

  it('ignores metric-like text in strings and comments', () => {
    expect(promqlMetricNames('label_replace(up, "dst", "gw_fake", "src", "(.*)") # gw_commented\n+ on() vector(1)')).toEqual(['up']);
    expect(promqlMetricNames("count_values('gw_str\\'ing', x)")).toEqual(['x']);
  });

  it('skips Grafana variables in selectors and ranges', () => {
    expect(
      promqlMetricNames('rate(gw_http_requests_total{app=~"$app", instance=~"${instance:regex}"}[$__rate_interval]) * $scale + [[old]]'),
    ).toEqual(['gw_http_requests_total']);
  });

  it('returns each name once, sorted, across a multi-line expression', () => {
    expect(promqlMetricNames('(\n  sum(rate(z_total[5m]))\n/\n  sum(rate(a_total[5m]) + rate(z_total[5m]))\n) > 0.05')).toEqual([
      'a_total',
      'z_total',
    ]);
  });
});

describe('grafanaVariableMetricNames', () => {
  it('reads the expression of label_values and query_result', () => {
    expect(grafanaVariableMetricNames('label_values(gw_connector_submits_total{app="sms-connector"}, connector)')).toEqual([
      'gw_connector_submits_total',
    ]);
    expect(grafanaVariableMetricNames('query_result(topk(5, sum by (queue) (gw_dead_letters)))')).toEqual(['gw_dead_letters']);
  });

  it('finds no metric in label_values(label), label_names() or metrics(regex)', () => {
    expect(grafanaVariableMetricNames('label_values(instance)')).toEqual([]);
    expect(grafanaVariableMetricNames('label_names()')).toEqual([]);
    expect(grafanaVariableMetricNames('metrics(gw_.*)')).toEqual([]);
  });
});

describe('exposedSeriesNames', () => {
  it('declares the series of each metric type', () => {
    const text = [
      '# HELP h A histogram',
      '# TYPE h histogram',
      '# TYPE s summary',
      '# TYPE c_total counter',
      '# TYPE om counter',
      '# TYPE g gauge',
      'g 1',
    ].join('\n');
    expect([...exposedSeriesNames(text)].sort()).toEqual([
      'c_total',
      'g',
      'h_bucket',
      'h_count',
      'h_sum',
      'om',
      'om_total',
      's',
      's_count',
      's_sum',
    ]);
  });

  it('sees the labelled metrics of a prom-client registry before they have any value', async () => {
    const registry = new Registry();
    new Counter({ name: 'gw_t_total', help: 'c', labelNames: ['outcome'], registers: [registry] });
    new Gauge({ name: 'gw_t_gauge', help: 'g', labelNames: ['queue'], registers: [registry] });
    new Histogram({ name: 'gw_t_seconds', help: 'h', labelNames: ['connector'], registers: [registry] });
    new Summary({ name: 'gw_t_summary', help: 's', labelNames: ['verb'], registers: [registry] });
    const text = await registry.metrics();
    expect(text).not.toMatch(/^gw_t_/m);
    expect([...exposedSeriesNames(text)].sort()).toEqual([
      'gw_t_gauge',
      'gw_t_seconds_bucket',
      'gw_t_seconds_count',
      'gw_t_seconds_sum',
      'gw_t_summary',
      'gw_t_summary_count',
      'gw_t_summary_sum',
      'gw_t_total',
    ]);
  });
});
