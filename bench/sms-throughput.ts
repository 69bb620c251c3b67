import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { request } from 'undici';
import { GatewayClient, SmscControl, runPool } from '@gw/stack-client';

/**
 * Benchmark (b): N messages through the whole gateway (api -> outbox -> Kafka -> sms-connector ->
 * Jasmin) against the same N posted straight to Jasmin's `/send` with the same parameters
 * (level-3 DLRs to a local ACK endpoint), same SMSC simulator, in the same run. Each leg is timed
 * from the first request until the SMSC has acknowledged (submit_sm_resp) all N.
 * Prints both rates (messages/s) and the ratio; target >= 0.95.
 */
const N = Number(process.env.BENCH_MESSAGES ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);

async function submits(smsc: SmscControl): Promise<number> {
  const res = await request(`${smsc.baseUrl}/stats`);
  return ((await res.body.json()) as { submits: number }).submits;
}

/** Sends `n` messages with `send` and waits until the SMSC has taken all of them; returns messages/s. */
async function leg(smsc: SmscControl, n: number, send: (i: number) => Promise<void>): Promise<number> {
  const base = await submits(smsc);
  const started = process.hrtime.bigint();
  await runPool(n, CONCURRENCY, send);
  const deadline = Date.now() + 600_000;
  while ((await submits(smsc)) < base + n) {
    if (Date.now() > deadline) throw new Error(`SMSC saw ${(await submits(smsc)) - base} of ${n} messages`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return n / seconds;
}

async function main(): Promise<void> {
  const env = process.env;
  const smsc = new SmscControl(env.SMSC_CONTROL_URL!);
  await smsc.setRules([], { outcome: 'delivered', delayMs: 50 });
  const ack = createServer((_req, res) => res.end('ACK/Jasmin'));
  await new Promise<void>((r) => ack.listen(0, '127.0.0.1', r));
  const dlrUrl = `http://127.0.0.1:${(ack.address() as AddressInfo).port}/dlr`;
  const gw = new GatewayClient(`http://127.0.0.1:${env.API_PORT ?? 58080}`);
  const project = await gw.createProject(env.OPERATOR_SECRET!, 'bench-sms');
  const client = gw.as(project.api_key);
  const body = 'Benchmark message through the SMS path';

  const direct = (i: number) =>
    request(new URL('/send', env.JASMIN_HTTP_URL), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        username: env.JASMIN_USERNAME!,
        password: env.JASMIN_PASSWORD!,
        to: `+1555${String(i).padStart(7, '0')}`,
        from: 'ACME',
        coding: '0',
        content: body,
        dlr: 'yes',
        'dlr-url': dlrUrl,
        'dlr-level': '3',
        'dlr-method': 'POST',
      }).toString(),
    }).then(async (res) => {
      const text = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`jasmin ${res.statusCode}: ${text}`);
    });
  const viaGateway = (i: number) => client.send({ to: `+1556${String(i).padStart(7, '0')}`, from: 'ACME', body }).then(() => undefined);

  process.stdout.write(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}\n`);
  process.stdout.write(`warm-up: 100 messages each way\n`);
  await leg(smsc, 100, direct);
  await leg(smsc, 100, viaGateway);
  process.stdout.write(`measuring: ${N} messages each way, ${CONCURRENCY} in flight, until the SMSC acknowledged all\n`);
  const directRate = await leg(smsc, N, direct);
  const gatewayRate = await leg(smsc, N, viaGateway);
  const ratio = gatewayRate / directRate;
  process.stdout.write(
    [
      `straight to Jasmin /send: ${directRate.toFixed(0)} msg/s (baseline)`,
      `through the gateway:      ${gatewayRate.toFixed(0)} msg/s`,
      `ratio gateway/Jasmin: ${ratio.toFixed(2)} (target >= 0.95: ${ratio >= 0.95 ? 'met' : 'NOT met'})`,
    ].join('\n') + '\n',
  );
  ack.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
