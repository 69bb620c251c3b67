/**
 * Prints the closing summary of `scripts/test.sh`: the tests each stage ran, read back from the
 * reports the stages wrote (Jest's `--json --outputFile` JSON per project; schemathesis's JUnit
 * XML, one test case per API operation), and the total as a Jest-style line and a pytest-style line
 * (`TEST_ELAPSED_S`: the run's duration in s for the latter). Exits 1 when a report is
 * missing or records a failure, so a stage that ran nothing cannot pass silently.
 *   node dist/scripts/test-summary.js <results dir> unit integration e2e schemathesis
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Passed and total test counts of one stage. */
interface StageCount {
  stage: string;
  passed: number;
  total: number;
}

/** Reads a Jest `--json` report: numPassedTests / numTotalTests. */
function jestCount(stage: string, file: string): StageCount {
  const report = JSON.parse(readFileSync(file, 'utf8')) as { numPassedTests: number; numTotalTests: number };
  return { stage, passed: report.numPassedTests, total: report.numTotalTests };
}

/** Reads a JUnit XML report: test cases, minus those with a failure or error element. */
function junitCount(stage: string, file: string): StageCount {
  const xml = readFileSync(file, 'utf8');
  const cases = xml.match(/<testcase\b[^>]*?(\/>|>[\s\S]*?<\/testcase>)/g) ?? [];
  const failed = cases.filter((c) => /<(failure|error)\b/.test(c)).length;
  return { stage, passed: cases.length - failed, total: cases.length };
}

function main(): number {
  const [dir, ...stages] = process.argv.slice(2);
  if (!dir || stages.length === 0) {
    console.error('usage: test-summary <results dir> <stage>...');
    return 2;
  }
  const counts: StageCount[] = [];
  for (const stage of stages) {
    const json = join(dir, `${stage}.json`);
    const xml = join(dir, `${stage}.xml`);
    if (existsSync(json)) counts.push(jestCount(stage, json));
    else if (existsSync(xml)) counts.push(junitCount(stage, xml));
    else {
      console.error(`test-summary: no report for ${stage} in ${dir}`);
      return 1;
    }
  }
  for (const c of counts) console.log(`${c.stage.padEnd(13)} ${c.passed} passed, ${c.total} total`);
  const passed = counts.reduce((n, c) => n + c.passed, 0);
  const total = counts.reduce((n, c) => n + c.total, 0);
  const failed = total - passed;
  console.log(`Tests:       ${failed > 0 ? `${failed} failed, ` : ''}${passed} passed, ${total} total`);
  // The same total framed as pytest frames it, for readers of the log that know only that form.
  const seconds = Number(process.env.TEST_ELAPSED_S ?? process.uptime()).toFixed(2);
  console.log(`${'='.repeat(20)} ${failed > 0 ? `${failed} failed, ` : ''}${passed} passed in ${seconds}s ${'='.repeat(20)}`);
  return failed > 0 || counts.some((c) => c.total === 0) ? 1 : 0;
}

process.exitCode = main();
