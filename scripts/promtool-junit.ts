/**
 * Runs a Prometheus rule unit-test file (format:
 * https://prometheus.io/docs/prometheus/latest/configuration/unit_testing_rules/) group by group and
 * writes a JUnit XML report of it for `scripts/test-summary.ts`, since the promtool of Debian
 * bookworm (2.42) has no JUnit output of its own. Test cases:
 * - `promtool check rules` of the rule files the test file names;
 * - one per test group (promtool run on that group alone), named by the group's `name`;
 * - one per alert rule: some group expects it to fire and some evaluation expects it silent.
 * Exits 1 when any case fails, 2 on bad arguments. `PROMTOOL` names the binary (default `promtool`).
 *   npx ts-node --transpile-only scripts/promtool-junit.ts deploy/prometheus/alerts.test.yml .state/test-results/promtool.xml
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parse, stringify } from 'yaml';

/** The parts of a promtool test file this report reads. */
interface TestFile {
  rule_files: string[];
  evaluation_interval?: string;
  group_eval_order?: string[];
  tests: TestGroup[];
}

/** One test group; `alert_rule_test` is promtool 2.42's spelling. */
interface TestGroup {
  name?: string;
  alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[];
}

/** One JUnit test case: its name, the failure text when it failed, its duration in s. */
interface Case {
  name: string;
  failure?: string;
  seconds: number;
}

const PROMTOOL = process.env.PROMTOOL ?? 'promtool';

/** Runs promtool with `args` (at most 60 s); the failure text (its output) or undefined on success. */
function promtool(args: string[]): { failure?: string; seconds: number } {
  const started = process.hrtime.bigint();
  const run = spawnSync(PROMTOOL, args, { encoding: 'utf8', timeout: 60_000 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status === 0) return { seconds };
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim();
  return { failure: run.error ? `${run.error.message}\n${output}` : output || `exit status ${run.status}`, seconds };
}

/** Alert names of the rule files (Prometheus rule file format: groups[].rules[].alert). */
function alertNames(ruleFiles: string[]): string[] {
  const names: string[] = [];
  for (const file of ruleFiles) {
    const doc = parse(readFileSync(file, 'utf8')) as { groups?: { rules?: { alert?: string }[] }[] };
    for (const group of doc.groups ?? []) for (const rule of group.rules ?? []) if (rule.alert) names.push(rule.alert);
  }
  return names;
}

/** XML text and attribute escaping. */
function xml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

/** The JUnit XML document of `cases`, one suite named after the test file. */
function junit(suite: string, cases: Case[]): string {
  const failures = cases.filter((c) => c.failure !== undefined).length;
  const time = cases.reduce((s, c) => s + c.seconds, 0).toFixed(3);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="promtool" tests="${cases.length}" failures="${failures}" time="${time}">`,
    `  <testsuite name="${xml(suite)}" tests="${cases.length}" failures="${failures}" time="${time}">`,
  ];
  for (const c of cases) {
    const open = `    <testcase classname="${xml(suite)}" name="${xml(c.name)}" time="${c.seconds.toFixed(3)}"`;
    if (c.failure === undefined) lines.push(`${open}/>`);
    else
      lines.push(
        `${open}>`,
        `      <failure message="${xml(c.failure.split('\n')[0] ?? '')}">${xml(c.failure)}</failure>`,
        '    </testcase>',
      );
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

function main(): number {
  const [testArg, outArg] = process.argv.slice(2);
  if (!testArg || !outArg) {
    console.error('usage: promtool-junit <promtool test file> <junit xml out>');
    return 2;
  }
  const testPath = resolve(testArg);
  const suite = relative(process.cwd(), testPath);
  const spec = parse(readFileSync(testPath, 'utf8')) as TestFile;
  const ruleFiles = spec.rule_files.map((f) => resolve(dirname(testPath), f));
  const cases: Case[] = [];

  const check = promtool(['check', 'rules', ...ruleFiles]);
  cases.push({ name: `promtool check rules ${ruleFiles.map((f) => relative(process.cwd(), f)).join(' ')}`, ...check });

  const work = mkdtempSync(join(tmpdir(), 'promtool-junit-'));
  try {
    spec.tests.forEach((group, i) => {
      const file = join(work, `group-${i}.yml`);
      const single = { ...spec, rule_files: ruleFiles, tests: [group] };
      writeFileSync(file, stringify(single));
      cases.push({ name: group.name ?? `test group ${i + 1}`, ...promtool(['test', 'rules', file]) });
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  const expectations = spec.tests.flatMap((g) => g.alert_rule_test ?? []);
  for (const alert of alertNames(ruleFiles)) {
    const own = expectations.filter((t) => t.alertname === alert);
    const fires = own.some((t) => (t.exp_alerts ?? []).length > 0);
    const silent = own.some((t) => (t.exp_alerts ?? []).length === 0);
    const missing = [fires ? '' : 'no evaluation expects it to fire', silent ? '' : 'no evaluation expects it silent'].filter(Boolean);
    cases.push({ name: `${alert} is tested firing and silent`, failure: missing.length ? missing.join('; ') : undefined, seconds: 0 });
  }

  for (const c of cases) console.log(`${c.failure === undefined ? 'ok  ' : 'FAIL'} ${c.name}${c.failure ? `\n${c.failure}` : ''}`);
  mkdirSync(dirname(resolve(outArg)), { recursive: true });
  writeFileSync(outArg, junit(suite, cases));
  const failed = cases.filter((c) => c.failure !== undefined).length;
  console.log(`promtool: ${cases.length - failed} passed, ${cases.length} total`);
  return failed > 0 ? 1 : 0;
}

process.exitCode = main();
