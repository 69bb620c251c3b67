import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('applies defaults', () => {
    expect(loadConfig({ SMSC_SYSTEM_ID: 'jasmin', SMSC_PASSWORD: 'pw' })).toEqual({
      host: '127.0.0.1',
      smppPort: 52776,
      controlPort: 52780,
      systemId: 'jasmin',
      password: 'pw',
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
});
