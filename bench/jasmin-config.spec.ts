import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SmscControl } from '@gw/stack-client';
import { type JasminRestarts, restartJasmin, withJasminDefaults } from './jasmin-config';

/**
 * A stand-in repository whose infra/stack.sh only appends its arguments and JASMIN_SUBMIT_PREFETCH
 * (or `unset`) to calls.log, then exits with the code in exit-<value> when that file exists.
 */
function fakeRepository(): { root: string; calls: () => string[]; failWhen: (value: string, code: number) => void } {
  const root = mkdtempSync(join(tmpdir(), 'bench-jasmin-'));
  mkdirSync(join(root, 'infra'));
  const script = join(root, 'infra', 'stack.sh');
  writeFileSync(
    script,
    [
      '#!/usr/bin/env bash',
      'value="${JASMIN_SUBMIT_PREFETCH-unset}"',
      'echo "$* $value" >> "$(dirname "$0")/../calls.log"',
      'echo "line before the end"',
      'if [ -f "$(dirname "$0")/../exit-$value" ]; then echo "jasmin failed to start" >&2; exit "$(cat "$(dirname "$0")/../exit-$value")"; fi',
      'if [ -f "$(dirname "$0")/../hang" ]; then sleep 30; fi',
      '',
    ].join('\n'),
  );
  chmodSync(script, 0o755);
  return {
    root,
    calls: () => {
      try {
        return readFileSync(join(root, 'calls.log'), 'utf8').trim().split('\n');
      } catch {
        return [];
      }
    },
    failWhen: (value, code) => writeFileSync(join(root, `exit-${value}`), String(code)),
  };
}

/** An SMSC control whose stats show Jasmin's account bound from the `boundAfter`-th read on. */
function smscBoundAfter(boundAfter: number): SmscControl {
  let reads = 0;
  return {
    stats: async () => ({ accounts: { jasmin: { bound: ++reads >= boundAfter ? 1 : 0 } } }),
  } as unknown as SmscControl;
}

describe('restartJasmin', () => {
  const roots: string[] = [];
  const repo = () => {
    const r = fakeRepository();
    roots.push(r.root);
    return r;
  };
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
    delete process.env.JASMIN_SUBMIT_PREFETCH;
  });

  it('runs infra/stack.sh restart jasmin with the prefetch asked for, then waits for the SMPP bind', async () => {
    const r = repo();
    const smsc = smscBoundAfter(2);
    await restartJasmin(r.root, 1, smsc, 'jasmin', 10_000);
    expect(r.calls()).toEqual(['restart jasmin 1']);
    expect(await smsc.stats()).toEqual({ accounts: { jasmin: { bound: 1 } } });
  });

  it("unsets JASMIN_SUBMIT_PREFETCH for the tuned configuration, even when the bench's environment has it", async () => {
    const r = repo();
    process.env.JASMIN_SUBMIT_PREFETCH = '1';
    await restartJasmin(r.root, null, smscBoundAfter(1), 'jasmin', 10_000);
    expect(r.calls()).toEqual(['restart jasmin unset']);
  });

  it("fails with the exit code and the script's last lines", async () => {
    const r = repo();
    r.failWhen('1', 3);
    await expect(restartJasmin(r.root, 1, smscBoundAfter(1), 'jasmin', 10_000)).rejects.toThrow(
      /exited 3 .*\nline before the end\njasmin failed to start$/,
    );
  });

  it('kills a script that runs past the limit', async () => {
    const r = repo();
    writeFileSync(join(r.root, 'hang'), '');
    const started = Date.now();
    await expect(restartJasmin(r.root, 1, smscBoundAfter(1), 'jasmin', 300)).rejects.toThrow(/exited on a signal \(limit 0.3 s\)/);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('withJasminDefaults', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });
  const restarts = (root: string, lines: string[]): JasminRestarts => ({
    root,
    smsc: smscBoundAfter(1),
    account: 'jasmin',
    venv: join(root, 'venv'),
    timeoutMs: 10_000,
    say: (line) => lines.push(line),
  });

  it('runs the block between a restart with prefetch 1 and one that restores the tuned configuration', async () => {
    const r = fakeRepository();
    roots.push(r.root);
    const lines: string[] = [];
    const result = await withJasminDefaults(restarts(r.root, lines), async () => {
      expect(r.calls()).toEqual(['restart jasmin 1']);
      return 42;
    });
    expect(result).toBe(42);
    expect(r.calls()).toEqual(['restart jasmin 1', 'restart jasmin unset']);
    expect(lines[0]).toMatch(/^Jasmin restarted with JASMIN_SUBMIT_PREFETCH=1 in/);
    expect(lines[1]).toMatch(/^restored the tuned configuration/);
  });

  it("restores the tuned configuration when the block fails, and throws the block's error", async () => {
    const r = fakeRepository();
    roots.push(r.root);
    await expect(
      withJasminDefaults(restarts(r.root, []), async () => {
        throw new Error('leg stalled');
      }),
    ).rejects.toThrow('leg stalled');
    expect(r.calls()).toEqual(['restart jasmin 1', 'restart jasmin unset']);
  });

  it('restores the tuned configuration when the restart with prefetch 1 fails, without running the block', async () => {
    const r = fakeRepository();
    roots.push(r.root);
    r.failWhen('1', 1);
    const block = jest.fn(async () => 1);
    await expect(withJasminDefaults(restarts(r.root, []), block)).rejects.toThrow(/exited 1/);
    expect(block).not.toHaveBeenCalled();
    expect(r.calls()).toEqual(['restart jasmin 1', 'restart jasmin unset']);
  });

  it('says so when the tuned configuration cannot be restored', async () => {
    const r = fakeRepository();
    roots.push(r.root);
    r.failWhen('unset', 2);
    await expect(withJasminDefaults(restarts(r.root, []), async () => 1)).rejects.toThrow(
      /could not restore Jasmin's tuned configuration \(run: bash infra\/stack.sh restart jasmin\)/,
    );
  });

  it('leaves no signal handler behind', async () => {
    const r = fakeRepository();
    roots.push(r.root);
    const before = process.listenerCount('SIGINT');
    await withJasminDefaults(restarts(r.root, []), async () => 1);
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});
