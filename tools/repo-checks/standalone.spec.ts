/**
 * The repository stands alone: a clone from a forge has nothing beside it, so no file may read
 * a sibling `shared` folder or cite documents it does not hold, and the ARI
 * simulator's conformance tests (which read Asterisk's api-docs) pass in a copy with no
 * neighbours.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';

const repoRoot = resolve(__dirname, '..', '..');
const thisFile = relative(repoRoot, __filename).split(sep).join('/');

/** Left out of the fallback walk: installed, generated or local state (see .gitignore). */
const UNTRACKED_DIRS = new Set(['.git', 'node_modules', '.state', 'dist', 'coverage']);

// The names this check looks for are assembled from parts, so that this file does not contain
// them itself and is scanned like every other file.
/** The sibling folder a clone from a forge does not have. */
const SIBLING = ['sha', 'red'].join('');
/** Its pages, which a clone does not have either; cite the upstream source instead. */
const PAGES = ['REFERENCE', 'DESIGN', 'STYLE'];
const UP = '..';

/** Paths that escape the repository into the sibling folder. */
const ESCAPES: ReadonlyArray<[RegExp, string]> = [
  [new RegExp(String.raw`\.\.[\\/]+${SIBLING}\b`), `reads ${UP}/${SIBLING}, outside the repository`],
  [new RegExp(String.raw`(['"\`])\.\.\1\s*,\s*(['"\`])${SIBLING}\2`), `joins '${UP}', '${SIBLING}', outside the repository`],
  [new RegExp(String.raw`\b${SIBLING}[\\/]+ari-api-docs\b`), `reads ${SIBLING}/ari-api-docs; use tools/ari-sim/api-docs`],
];

const EXTERNAL_DOCS = new RegExp(String.raw`\b(?:${PAGES.join('|')})\.md\b`);

/**
 * Files of the repository, relative to its root with `/` separators: what `git ls-files` tracks
 * plus new files not ignored (so an uncommitted addition counts), that still exist; without git,
 * a walk of the tree that skips UNTRACKED_DIRS.
 */
function repoFiles(): string[] {
  const git = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (git.status === 0) {
    const listed = [...new Set(git.stdout.split('\0').filter(Boolean))];
    return listed.filter((file) => existsSync(join(repoRoot, file)) && statSync(join(repoRoot, file)).isFile()).sort();
  }
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(repoRoot, dir), { withFileTypes: true })) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory() && !UNTRACKED_DIRS.has(entry.name)) walk(path);
      else if (entry.isFile()) found.push(path);
    }
  };
  walk('');
  return found.sort();
}

/** Problems in one file's text, each `file:line: what` (at most one escape and one citation per line). */
function escapesIn(file: string, text: string): string[] {
  const problems: string[] = [];
  text.split('\n').forEach((line, i) => {
    const escape = ESCAPES.find(([pattern]) => pattern.test(line));
    if (escape) problems.push(`${file}:${i + 1}: ${escape[1]}`);
    const cited = EXTERNAL_DOCS.exec(line)?.[0];
    if (cited) problems.push(`${file}:${i + 1}: cites ${cited}, which is not in the repository`);
  });
  return problems;
}

const isBinary = (bytes: Buffer): boolean => bytes.subarray(0, 8000).includes(0);

describe('the repository stands alone', () => {
  const files = repoFiles();

  it('finds the repository files', () => {
    expect(files).toEqual(expect.arrayContaining(['package.json', thisFile, 'tools/ari-sim/api-docs/resources.json']));
  });

  describe('escape detection', () => {
    it.each([
      `const dir = resolve(repoRoot, '${UP}', '${SIBLING}', 'ari-api-docs');`,
      `See ${UP}/${SIBLING}/ari-api-docs/ for the files.`,
      `cp "$ROOT/${UP}/${SIBLING}/hooks/x" .`,
      `const dir = join(root, "${UP}", "${SIBLING}");`,
      `the ${SIBLING}/ari-api-docs folder`,
      `// see ${PAGES[0]}.md, Jasmin /send`,
      `(${PAGES[1]}.md)`,
      `per ${PAGES[2]}.md`,
    ])('flags %s', (line) => {
      expect(escapesIn('x.ts', `first\n${line}`)).toEqual([expect.stringMatching(/^x\.ts:2: /)]);
    });

    it.each([
      'Non-secret settings shared by the apps.',
      'shared_buffers = 128MB',
      'on a shared host it slows whatever is running',
      "{ 'idempotency-key': 'k-shared' }",
      'Reference shared by all parts (8 or 16 bit).',
      'see README.md and ./shared/local.ts',
      `docs/${PAGES[0]}.mdx`,
      'The standardwebhooks reference library',
    ])('does not flag %s', (line) => {
      expect(escapesIn('x.ts', line)).toEqual([]);
    });
  });

  it('has no file reading a sibling shared folder or citing a document it does not hold', () => {
    const problems: string[] = [];
    for (const file of files) {
      const bytes = readFileSync(join(repoRoot, file));
      if (!isBinary(bytes)) problems.push(...escapesIn(file, bytes.toString('utf8')));
    }
    expect(problems).toEqual([]);
  });

  describe('the ARI simulator tests in a copy with nothing beside it', () => {
    /** Holds only `repo/`: the copy has no `shared` (or any other) sibling. */
    let parent = '';
    afterAll(() => {
      if (parent) rmSync(parent, { recursive: true, force: true });
    });

    it('pass, reading Asterisk api-docs from inside the repository', () => {
      parent = realpathSync(mkdtempSync(join(tmpdir(), 'standalone-')));
      const copy = join(parent, 'repo');
      // ari-sim imports @gw/sim-kit; the root files configure jest, ts-jest and the path aliases,
      // and jest checks that the other tiers' setup files (test/support) exist.
      const wanted = files.filter(
        (file) =>
          ['tools/ari-sim/', 'tools/sim-kit/', 'test/support/'].some((dir) => file.startsWith(dir)) ||
          ['package.json', 'jest.config.js', 'tsconfig.json', 'tsconfig.test.json'].includes(file),
      );
      for (const file of wanted) {
        mkdirSync(dirname(join(copy, file)), { recursive: true });
        copyFileSync(join(repoRoot, file), join(copy, file));
      }
      symlinkSync(join(repoRoot, 'node_modules'), join(copy, 'node_modules'), 'dir');
      expect(readdirSync(parent)).toEqual(['repo']);

      const report = join(parent, 'jest-report.json');
      const env: NodeJS.ProcessEnv = { ...process.env };
      delete env['JEST_WORKER_ID'];
      const run = spawnSync(
        process.execPath,
        [
          join('node_modules', 'jest', 'bin', 'jest.js'),
          '--selectProjects',
          'unit',
          '--testPathPatterns',
          'tools/ari-sim/src/(conformance|ari-client)\\.spec\\.ts$',
          '--watchman=false',
          '--json',
          '--outputFile',
          report,
        ],
        { cwd: copy, env, encoding: 'utf8', timeout: 120_000 },
      );
      if (run.status !== 0)
        throw new Error(`jest in ${copy} exited with ${run.status ?? run.signal}: ${run.error?.message ?? ''}\n${run.stderr.slice(-4000)}`);

      const result = JSON.parse(readFileSync(report, 'utf8')) as {
        success: boolean;
        numFailedTests: number;
        numPassedTests: number;
        testResults: Array<{ name: string; status: string }>;
      };
      expect(result.success).toBe(true);
      expect(result.numFailedTests).toBe(0);
      expect(result.numPassedTests).toBeGreaterThan(0);
      expect(result.testResults.map((r) => [relative(copy, r.name).split(sep).join('/'), r.status]).sort()).toEqual([
        ['tools/ari-sim/src/ari-client.spec.ts', 'passed'],
        ['tools/ari-sim/src/conformance.spec.ts', 'passed'],
      ]);
    }, 150_000);
  });
});
