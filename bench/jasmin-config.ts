import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, type SmscControl } from '@gw/stack-client';
import { pidsWhere } from './proc-cpu';

/** The variable infra/lib/jasmin.sh hands jasmind (64 when unset) and the patched clients.py reads (1 when unset, upstream's value). */
const PREFETCH_VAR = 'JASMIN_SUBMIT_PREFETCH';

/** What the running jasmind uses as the AMQP prefetch of its submit consumers, and why. */
export interface JasminPrefetch {
  pid: number | null;
  /** The prefetch in effect: 1 unless clients.py is patched to read PREFETCH_VAR. */
  prefetch: number;
  /** Whether the installed jasmin/managers/clients.py reads PREFETCH_VAR (infra/jasmin/patch_jasmin.py). */
  patched: boolean;
  /** PREFETCH_VAR in jasmind's environment, null when absent. */
  variable: string | null;
}

/** The installed jasmin/managers/clients.py of the virtualenv `venv`, or null when there is none. */
function clientsPy(venv: string): string | null {
  const lib = join(venv, 'lib');
  if (!existsSync(lib)) return null;
  for (const python of readdirSync(lib)) {
    const file = join(lib, python, 'site-packages', 'jasmin', 'managers', 'clients.py');
    if (existsSync(file)) return file;
  }
  return null;
}

/**
 * Reads the submit prefetch of the running jasmind (Linux /proc): PREFETCH_VAR from its
 * environment (only that variable is read), in effect only when `venv`'s clients.py is patched
 * to read it; otherwise Jasmin's fixed `basic_qos(prefetch_count=1)`.
 */
export function jasminPrefetch(venv: string): JasminPrefetch {
  const pid = pidsWhere((c) => c.includes('jasmind.py'))[0] ?? null;
  const file = clientsPy(venv);
  const patched = file !== null && readFileSync(file, 'utf8').includes(PREFETCH_VAR);
  let variable: string | null = null;
  if (pid !== null) {
    try {
      const entry = readFileSync(`/proc/${pid}/environ`, 'latin1')
        .split('\0')
        .find((kv) => kv.startsWith(`${PREFETCH_VAR}=`));
      variable = entry === undefined ? null : entry.slice(PREFETCH_VAR.length + 1);
    } catch {
      variable = null;
    }
  }
  const prefetch = patched ? Number(variable ?? '1') : 1;
  return { pid, prefetch, patched, variable };
}

/** One line describing `p` for the benchmark's output. */
export function describePrefetch(p: JasminPrefetch): string {
  if (p.pid === null) return 'jasmind is not running';
  const source = p.patched
    ? `${PREFETCH_VAR}=${p.variable ?? 'unset'} in jasmind's environment`
    : `the installed clients.py does not read ${PREFETCH_VAR} (infra/jasmin/patch_jasmin.py not applied)`;
  return `jasmind pid ${p.pid}, submit prefetch ${p.prefetch} (${source})`;
}

/**
 * Restarts Jasmin with `bash infra/stack.sh restart jasmin` under `rootDir`: with PREFETCH_VAR set
 * to `prefetch`, or with it unset (the stack's tuned default) when `prefetch` is null. The stack
 * script's output is kept and shown only when it fails. Then waits until Jasmin's SMPP connector is
 * bound to the SMSC simulator as `systemId`. @returns the seconds it took.
 * @throws Error when the script fails or runs longer than `timeoutMs` (its process group is then
 * killed), or when
 * no bind of `systemId` appears within 60 s.
 */
export async function restartJasmin(
  rootDir: string,
  prefetch: number | null,
  smsc: SmscControl,
  systemId: string,
  timeoutMs: number,
): Promise<number> {
  const started = Date.now();
  const env = { ...process.env };
  if (prefetch === null) delete env[PREFETCH_VAR];
  else env[PREFETCH_VAR] = String(prefetch);
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    // Its own process group: the timeout ends the script with whatever it started (a daemon it
    // spawns goes into a session of its own), and a Ctrl-C meant for the bench does not cut a
    // restart short (the restoring restart waits for it on the stack's lock).
    const child = spawn('bash', [join(rootDir, 'infra', 'stack.sh'), 'restart', 'jasmin'], {
      cwd: rootDir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const keep = (chunk: Buffer): void => {
      output.push(chunk.toString('utf8'));
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGTERM'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (exit) => {
      clearTimeout(timer);
      resolve(exit);
    });
  });
  if (code !== 0) {
    const tail = output.join('').trimEnd().split('\n').slice(-20).join('\n');
    throw new Error(`infra/stack.sh restart jasmin exited ${code ?? 'on a signal'} (limit ${timeoutMs / 1000} s):\n${tail}`);
  }
  await eventually(
    async () => ((await smsc.stats()).accounts[systemId]?.bound ?? 0) >= 1 || undefined,
    60_000,
    `Jasmin's SMPP bind as ${systemId} after the restart`,
    200,
  );
  return (Date.now() - started) / 1000;
}

/** Where and how withJasminDefaults restarts Jasmin; `say` prints one line of the benchmark's output. */
export interface JasminRestarts {
  root: string;
  smsc: SmscControl;
  /** The SMSC account of Jasmin's SMPP connector (SMSC_SYSTEM_ID). */
  account: string;
  venv: string;
  timeoutMs: number;
  say: (line: string) => void;
}

/**
 * Restarts Jasmin with JASMIN_SUBMIT_PREFETCH=1 (its own default), runs `block`, then restarts it
 * without the variable (the stack's tuned configuration): also when the first restart or the block
 * fails, and on SIGINT/SIGTERM (then exits 130 once restored).
 * @throws the block's (or first restart's) error; when restoring fails, an Error saying so (the
 * other error is printed to stderr first).
 */
export async function withJasminDefaults<T>(r: JasminRestarts, block: () => Promise<T>): Promise<T> {
  let restoring: Promise<void> | null = null;
  const restore = (): Promise<void> =>
    (restoring ??= restartJasmin(r.root, null, r.smsc, r.account, r.timeoutMs).then((s) =>
      r.say(
        `restored the tuned configuration: Jasmin restarted without ${PREFETCH_VAR} in ${s.toFixed(1)} s; ${describePrefetch(jasminPrefetch(r.venv))}`,
      ),
    ));
  const onSignal = (signal: NodeJS.Signals): void => {
    process.stderr.write(`${signal}: restoring Jasmin's tuned configuration before exiting\n`);
    void restore().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let result: T | undefined;
  let failure: unknown = null;
  try {
    const s = await restartJasmin(r.root, 1, r.smsc, r.account, r.timeoutMs);
    r.say(`Jasmin restarted with ${PREFETCH_VAR}=1 in ${s.toFixed(1)} s; ${describePrefetch(jasminPrefetch(r.venv))}`);
    result = await block();
  } catch (err) {
    failure = err;
  }
  try {
    await restore();
  } catch (err) {
    if (failure) process.stderr.write(`bench failed: ${failure instanceof Error ? failure.stack : String(failure)}\n`);
    throw new Error(`could not restore Jasmin's tuned configuration (run: bash infra/stack.sh restart jasmin): ${String(err)}`, {
      cause: err,
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (failure) throw failure;
  return result as T;
}
