/**
 * No locked copy of a dependency is older than the release that fixed a known vulnerability in it.
 * `ari-client` pulls `request@2.88.2`, which asks for `form-data ~2.3.2` and `tough-cookie ~2.5.0`;
 * package.json `overrides` lift them to fixed releases of the same API (form-data 2.5.x,
 * tough-cookie 4.x), and this check keeps package-lock.json from falling back below them.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lt, major, valid } from 'semver';

const repoRoot = resolve(__dirname, '..', '..');

/**
 * Per package, the first fixed release of each major line (vulnerable below it). A major below the
 * lowest listed one is vulnerable too (older than every fix); one above the highest is not.
 */
export const FLOORS: Readonly<Record<string, { advisory: string; fixed: readonly string[] }>> = {
  // Predictable multipart boundaries (Math.random): fixed in 2.5.4, 3.0.4 and 4.0.4.
  'form-data': { advisory: 'CVE-2025-7783', fixed: ['2.5.4', '3.0.4', '4.0.4'] },
  // Prototype pollution through the in-memory cookie store (with rejectPublicSuffixes off): fixed in 4.1.3.
  'tough-cookie': { advisory: 'CVE-2023-26136', fixed: ['4.1.3'] },
};

/** The parts of a package-lock.json (lockfileVersion 2 or 3) this check reads. */
export interface Lock {
  lockfileVersion?: number;
  packages?: Record<string, { name?: string; version?: string; link?: boolean }>;
}

/** Package name of a `packages` key: what follows its last `node_modules/` (scoped names keep their scope). */
const nameOfPath = (path: string): string => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);

/** The fixed release `version` must reach, or undefined when it is not below any fix. */
export function floorFor(fixed: readonly string[], version: string): string | undefined {
  const sorted = [...fixed].sort((a, b) => (lt(a, b) ? -1 : 1));
  const line = sorted.find((floor) => major(floor) === major(version));
  if (line) return lt(version, line) ? line : undefined;
  const lowest = sorted[0];
  return lowest !== undefined && major(version) < major(lowest) ? lowest : undefined;
}

/** Every installed copy in `lock` below its floor, each `name version at path: below floor (advisory)`. */
export function versionsBelowFloors(lock: Lock, floors = FLOORS): string[] {
  if (!lock.packages) throw new Error('package-lock.json has no "packages" map (lockfileVersion 2 or later expected)');
  const problems: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path || entry.link) continue;
    const name = entry.name ?? nameOfPath(path);
    const rule = floors[name];
    if (!rule) continue;
    const version = entry.version ?? '';
    if (!valid(version)) {
      problems.push(`${name} ${version || '(no version)'} at ${path}: not a release version, cannot check against ${rule.advisory}`);
      continue;
    }
    const floor = floorFor(rule.fixed, version);
    if (floor) problems.push(`${name} ${version} at ${path}: below ${floor} (${rule.advisory})`);
  }
  return problems;
}

describe('dependency floors', () => {
  describe('versionsBelowFloors', () => {
    /** What package-lock.json held before the overrides: request's own form-data and the hoisted tough-cookie. */
    const oldLock: Lock = {
      lockfileVersion: 3,
      packages: {
        '': { name: 'telecom-gateway', version: '0.1.0' },
        'node_modules/request': { version: '2.88.2' },
        'node_modules/request/node_modules/form-data': { version: '2.3.3' },
        'node_modules/tough-cookie': { version: '2.5.0' },
        'node_modules/form-data': { version: '4.0.6' },
      },
    };

    it('flags the versions request locked before the overrides, naming package, path and version', () => {
      expect(versionsBelowFloors(oldLock)).toEqual([
        'form-data 2.3.3 at node_modules/request/node_modules/form-data: below 2.5.4 (CVE-2025-7783)',
        'tough-cookie 2.5.0 at node_modules/tough-cookie: below 4.1.3 (CVE-2023-26136)',
      ]);
    });

    it.each([
      ['form-data', '1.0.1', '2.5.4'],
      ['form-data', '2.3.3', '2.5.4'],
      ['form-data', '2.5.3', '2.5.4'],
      ['form-data', '3.0.3', '3.0.4'],
      ['form-data', '4.0.0', '4.0.4'],
      ['form-data', '4.0.3', '4.0.4'],
      ['form-data', '4.0.4-rc.1', '4.0.4'],
      ['tough-cookie', '2.5.0', '4.1.3'],
      ['tough-cookie', '4.1.2', '4.1.3'],
    ])('flags %s %s (below %s)', (name, version, floor) => {
      const lock: Lock = { packages: { [`node_modules/a/node_modules/${name}`]: { version } } };
      expect(versionsBelowFloors(lock)).toEqual([
        expect.stringContaining(`${name} ${version} at node_modules/a/node_modules/${name}: below ${floor} `),
      ]);
    });

    it.each([
      ['form-data', '2.5.4'],
      ['form-data', '2.5.6'],
      ['form-data', '3.0.4'],
      ['form-data', '4.0.4'],
      ['form-data', '4.0.6'],
      ['tough-cookie', '4.1.3'],
      ['tough-cookie', '4.1.4'],
      ['tough-cookie', '5.1.2'],
    ])('accepts %s %s', (name, version) => {
      expect(versionsBelowFloors({ packages: { [`node_modules/${name}`]: { version } } })).toEqual([]);
    });

    it('checks an aliased copy by its real name, and leaves other packages and links alone', () => {
      const lock: Lock = {
        packages: {
          'node_modules/fd-old': { name: 'form-data', version: '2.3.3' },
          'node_modules/@scope/form-data': { version: '1.0.0' },
          'node_modules/not-form-data': { version: '0.1.0' },
          'node_modules/tough-cookie': { link: true },
        },
      };
      expect(versionsBelowFloors(lock)).toEqual(['form-data 2.3.3 at node_modules/fd-old: below 2.5.4 (CVE-2025-7783)']);
    });

    it('flags a copy whose version it cannot compare', () => {
      expect(versionsBelowFloors({ packages: { 'node_modules/tough-cookie': { version: 'github:salesforce/tough-cookie' } } })).toEqual([
        'tough-cookie github:salesforce/tough-cookie at node_modules/tough-cookie: not a release version, cannot check against CVE-2023-26136',
      ]);
    });

    it('refuses a lock without a packages map', () => {
      expect(() => versionsBelowFloors({ lockfileVersion: 1 })).toThrow(/no "packages" map/);
    });
  });

  describe('package-lock.json', () => {
    const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as Lock;

    it('locks form-data and tough-cookie (so the floors check something)', () => {
      const names = Object.entries(lock.packages ?? {}).map(([path, entry]) => entry.name ?? nameOfPath(path));
      expect(names).toEqual(expect.arrayContaining(Object.keys(FLOORS)));
    });

    it('has no copy below the fixed release of its major line', () => {
      expect(versionsBelowFloors(lock)).toEqual([]);
    });
  });
});
