import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { basename, join } from 'node:path';
import { dlrCallbackUrl } from '@gw/connectors';
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
 * each app's log, the jCli configuration log and every log of Jasmin's, its DLR and MO throwers'
 * included. Before the logs are read, one MT goes through to `delivered` and one MO to its
 * callback, so every SMS app and both throwers have handled traffic whatever order the suites run
 * in. Besides the stack's secrets, the MT's own DLR token (the `token` of its `dlr-url`) is looked
 * for: at INFO, Jasmin's DLR thrower logs every callback URL (infra/jasmin/jasmin.cfg sets WARNING).
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
    const { conn } = (await t.db.query<{ conn: string }>('SELECT connector_id AS conn FROM messages WHERE id = $1', [msg.id])).rows[0];
    const token = new URL(dlrCallbackUrl('http://gw.test', env('DLR_TOKEN_SECRET'), 'jasmin', msg.id, conn)).searchParams.get('token')!;
    secrets.set(`DLR token of ${msg.id}`, Buffer.from(token));
    const { inbound } = await t.receiveMo(p, 'secret exposure check, MO');
    await eventually(() => p.receiver.about(inbound.id)[0]);
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

  it('appear in no log of the apps, the jCli configuration or Jasmin', () => {
    const logs = join(env('STATE_DIR'), 'logs');
    const files = [
      ...['api', 'sms-connector', 'webhook-ingress', 'workers', 'call-orchestrator', 'jasmin-configure'].map((n) => join(logs, `${n}.log`)),
      ...readdirSync(join(logs, 'jasmin')).map((f) => join(logs, 'jasmin', f)),
    ];
    const present = files.filter(existsSync);
    const names = new Set(present.map((f) => basename(f)));
    expect(['api.log', 'http-access.log', 'dlr-thrower.log', 'deliversm-thrower.log'].filter((n) => !names.has(n))).toEqual([]);
    const exposed = present.flatMap((f) => secretsIn(f, secrets).map((name) => `${name} in ${f}`));
    expect(exposed).toEqual([]);
  });
});
