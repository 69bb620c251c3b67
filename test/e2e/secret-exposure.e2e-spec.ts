import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { TERMINAL } from '@gw/stack-client';
import { E2e, env, eventually, uniqueNumber } from '../support/e2e';
import { readEnvFile } from '../support/env-file';

/** Names in secrets.env that are account names or ids rather than secrets: they may appear in logs. */
const IDENTIFIERS = /_(USERNAME|SYSTEM_ID)$/;

/** The local stack's secrets: every value of `$STATE_DIR/secrets.env` but account names, keyed by name. */
function stackSecrets(): Map<string, Buffer> {
  return new Map(
    readEnvFile(join(env('STATE_DIR'), 'secrets.env'))
      .filter(([name, value]) => value !== '' && !IDENTIFIERS.test(name))
      .map(([name, value]) => [name, Buffer.from(value)]),
  );
}

/** Names of the secrets found in `file`, read in 1 MiB chunks that overlap by the longest secret. */
function secretsIn(file: string, secrets: Map<string, Buffer>): string[] {
  const overlap = Math.max(...[...secrets.values()].map((s) => s.length)) - 1;
  const chunk = Buffer.alloc(1 << 20);
  const found = new Set<string>();
  const fd = openSync(file, 'r');
  try {
    let kept = 0;
    for (;;) {
      const read = readSync(fd, chunk, kept, chunk.length - kept, null);
      if (read === 0) break;
      const window = chunk.subarray(0, kept + read);
      for (const [name, value] of secrets) if (window.includes(value)) found.add(name);
      kept = Math.min(overlap, window.length);
      window.copy(chunk, 0, window.length - kept);
    }
  } finally {
    closeSync(fd);
  }
  return [...found];
}

/**
 * Secrets stay out of places other users and log readers see: no process's command line (readable
 * by every local user in /proc/<pid>/cmdline) and none of the logs the project writes or configures:
 * each app's log, the jCli configuration log and Jasmin's HTTP access log. Before the logs are
 * read, one message goes through to `delivered` with its callbacks, so every SMS app has logged
 * traffic whatever order the suites run in. Jasmin's throwers' logs are not checked: Jasmin writes
 * there the MO connector's URL, whose token it cannot take any other way.
 */
describe('secrets of the local stack', () => {
  const secrets = stackSecrets();
  const t = new E2e();

  beforeAll(async () => {
    await t.start();
    const p = await t.project('secrets');
    const msg = await p.gw.send({ to: uniqueNumber(), from: 'ACME', body: 'secret exposure check' });
    expect((await p.gw.waitFor(msg.id, (m) => TERMINAL.has(m.status), 60000)).status).toBe('delivered');
    await eventually(() => (p.receiver.about(msg.id).length >= 3 ? true : undefined));
  });
  afterAll(() => t.stop());

  it('has the secrets to look for', () => {
    expect([...secrets.keys()]).toEqual(
      expect.arrayContaining(['PG_PASSWORD', 'JASMIN_PASSWORD', 'JASMIN_JCLI_PASSWORD', 'DLR_TOKEN_SECRET', 'MO_TOKEN']),
    );
  });

  it('appear on no process command line', () => {
    const exposed: string[] = [];
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      let cmdline: Buffer;
      try {
        cmdline = readFileSync(`/proc/${pid}/cmdline`);
      } catch {
        continue; // exited meanwhile
      }
      for (const [name, value] of secrets) if (cmdline.includes(value)) exposed.push(`${name} in the command line of pid ${pid}`);
    }
    expect(exposed).toEqual([]);
  });

  it('appear in no log of the apps, the jCli configuration or Jasmin’s HTTP API', () => {
    const logs = join(env('STATE_DIR'), 'logs');
    const files = [
      ...['api', 'sms-connector', 'webhook-ingress', 'workers', 'call-orchestrator', 'jasmin-configure'].map((n) => join(logs, `${n}.log`)),
      ...readdirSync(join(logs, 'jasmin'))
        .filter((f) => f.startsWith('http-access.log'))
        .map((f) => join(logs, 'jasmin', f)),
    ];
    expect(files.filter((f) => f.endsWith('api.log') || f.endsWith('http-access.log')).every(existsSync)).toBe(true);
    const exposed = files.filter(existsSync).flatMap((f) => secretsIn(f, secrets).map((name) => `${name} in ${f}`));
    expect(exposed).toEqual([]);
  });
});
