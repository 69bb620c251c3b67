import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';

describe('config', () => {
  const base = { ARI_USERNAME: 'u', ARI_PASSWORD: 'p', ARI_SIM_RECORDINGS_DIR: '/tmp/x' };
  const made: string[] = [];
  afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('applies defaults', () => {
    expect(loadConfig(base)).toMatchObject({
      host: '127.0.0.1',
      port: 58088,
      username: 'u',
      password: 'p',
      recordingsDir: '/tmp/x',
      debug: false,
    });
  });

  it('requires the ARI credentials and a valid port', () => {
    expect(() => loadConfig({ ARI_PASSWORD: 'p' })).toThrow(new ConfigError('ARI_USERNAME is required'));
    expect(() => loadConfig({ ARI_USERNAME: 'u' })).toThrow(new ConfigError('ARI_PASSWORD is required'));
    expect(() => loadConfig({ ...base, ARI_SIM_PORT: '70000' })).toThrow(ConfigError);
  });

  it('loads a scenarios file and reports its errors with the file name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ari-sim-config-'));
    made.push(dir);
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ rules: [{ number: '+1', outcome: 'busy' }] }));
    expect(loadConfig({ ...base, ARI_SIM_SCENARIOS_FILE: good }).scenarios.rules).toHaveLength(1);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ rules: [{ outcome: 'busy' }] }));
    expect(() => loadConfig({ ...base, ARI_SIM_SCENARIOS_FILE: bad })).toThrow(
      `ARI_SIM_SCENARIOS_FILE ${bad}: rules[0] needs exactly one of number, prefix, endpoint`,
    );
  });

  it('makes a temporary recordings directory when none is given', () => {
    const { recordingsDir } = loadConfig({ ARI_USERNAME: 'u', ARI_PASSWORD: 'p' });
    made.push(recordingsDir);
    expect(recordingsDir).toContain('ari-sim-recordings-');
  });
});
