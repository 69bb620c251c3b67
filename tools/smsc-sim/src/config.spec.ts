import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, parseAccounts } from './config';

describe('loadConfig', () => {
  it('applies defaults', () => {
    expect(loadConfig({ SMSC_SYSTEM_ID: 'jasmin', SMSC_PASSWORD: 'pw' })).toEqual({
      host: '127.0.0.1',
      smppPort: 52776,
      controlPort: 52780,
      systemId: 'jasmin',
      password: 'pw',
      accounts: [],
      maxSubmitsPerSecondPerBind: 0,
      scenarios: { rules: [], default: { outcome: 'delivered', delayMs: 200 } },
      debug: false,
      warnings: [],
    });
  });

  it('requires credentials and valid ports', () => {
    expect(() => loadConfig({ SMSC_PASSWORD: 'pw' })).toThrow('SMSC_SYSTEM_ID is required');
    expect(() => loadConfig({ SMSC_SYSTEM_ID: 'x' })).toThrow('SMSC_PASSWORD is required');
    expect(() => loadConfig({ SMSC_SYSTEM_ID: 'x', SMSC_PASSWORD: 'y', SMSC_SMPP_PORT: 'abc' })).toThrow(ConfigError);
  });

  it('warns about credentials longer than SMPP 3.4 allows', () => {
    expect(loadConfig({ SMSC_SYSTEM_ID: 'x'.repeat(16), SMSC_PASSWORD: 'y'.repeat(9) }).warnings).toHaveLength(2);
  });

  it('loads and validates a scenarios file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'smsc-sim-'));
    try {
      const good = join(dir, 'good.json');
      writeFileSync(good, JSON.stringify({ rules: [{ match: '+1555000', prefix: true, outcome: 'undeliverable' }] }));
      const cfg = loadConfig({ SMSC_SYSTEM_ID: 'x', SMSC_PASSWORD: 'y', SMSC_SCENARIOS_FILE: good, SMSC_SMPP_PORT: '2775' });
      expect(cfg.smppPort).toBe(2775);
      expect(cfg.scenarios.rules).toEqual([{ match: '+1555000', prefix: true, outcome: 'undeliverable' }]);
      const bad = join(dir, 'bad.json');
      writeFileSync(bad, JSON.stringify({ rules: [{ match: '1', outcome: 'maybe' }] }));
      expect(() => loadConfig({ SMSC_SYSTEM_ID: 'x', SMSC_PASSWORD: 'y', SMSC_SCENARIOS_FILE: bad })).toThrow(
        /bad\.json: rules\[0\]\.outcome/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads further accounts from SMSC_ACCOUNTS and the per-bind submit limit', () => {
    const cfg = loadConfig({
      SMSC_SYSTEM_ID: 'jasmin',
      SMSC_PASSWORD: 'pw',
      SMSC_ACCOUNTS: 'kannel:Kpw1,gwdirect:d:pw2',
      SMSC_MAX_SUBMITS_PER_S_PER_BIND: '25',
    });
    expect(cfg.accounts).toEqual([
      { systemId: 'kannel', password: 'Kpw1' },
      { systemId: 'gwdirect', password: 'd:pw2' },
    ]);
    expect(cfg.maxSubmitsPerSecondPerBind).toBe(25);
    expect(cfg.systemId).toBe('jasmin');
    expect(loadConfig({ SMSC_SYSTEM_ID: 'jasmin', SMSC_PASSWORD: 'pw', SMSC_ACCOUNTS: '' }).accounts).toEqual([]);
  });

  it.each([
    ['kannelS3cret', /^SMSC_ACCOUNTS entry 1 must be system_id:password/],
    [':S3cret', /^SMSC_ACCOUNTS entry 1 must be system_id:password/],
    ['kannel:', /^SMSC_ACCOUNTS entry 1 must be system_id:password/],
    ['kannel:S3cret,,b:S3cret', /^SMSC_ACCOUNTS entry 2 must be system_id:password/],
    ['kannel:S3cret, gwdirect:S3cret', /^SMSC_ACCOUNTS entry 2: the system_id must be printable ASCII/],
    ['kannel:S3cret,kannel:S3cret2', /^SMSC_ACCOUNTS: system_id kannel is configured twice$/],
    ['jasmin:S3cret', /^SMSC_ACCOUNTS: system_id jasmin is configured twice$/],
  ])('rejects SMSC_ACCOUNTS=%s without echoing a password', (value, message) => {
    let error: unknown;
    try {
      parseAccounts(value, 'jasmin');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('S3cret');
    expect(() => loadConfig({ SMSC_SYSTEM_ID: 'jasmin', SMSC_PASSWORD: 'pw', SMSC_ACCOUNTS: value })).toThrow(message);
  });

  it.each(['-1', '1.5', 'many', '1e3'])('rejects SMSC_MAX_SUBMITS_PER_S_PER_BIND=%s', (value) => {
    expect(() => loadConfig({ SMSC_SYSTEM_ID: 'x', SMSC_PASSWORD: 'y', SMSC_MAX_SUBMITS_PER_S_PER_BIND: value })).toThrow(
      new ConfigError('SMSC_MAX_SUBMITS_PER_S_PER_BIND must be a whole number (0 = unlimited)'),
    );
  });

  it('warns about further accounts longer than SMPP 3.4 allows, naming the system_id only', () => {
    const { warnings } = loadConfig({ SMSC_SYSTEM_ID: 'x', SMSC_PASSWORD: 'y', SMSC_ACCOUNTS: `${'k'.repeat(16)}:ok,short:LongS3cret` });
    expect(warnings).toEqual([
      `SMSC_ACCOUNTS: system_id ${'k'.repeat(16)} is longer than the 15 octets SMPP 3.4 allows`,
      'SMSC_ACCOUNTS: the password of short is longer than the 8 octets SMPP 3.4 allows',
    ]);
  });
});
