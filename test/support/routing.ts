import { randomUUID } from 'node:crypto';
import type { CarrierAdapter, SubmitRequest, SubmitResult } from '@gw/connectors';
import { ConnectorBreaker } from '../../apps/sms-connector/src/routing/connector-breaker';
import type { ConnectorRow, LiveConnector } from '../../apps/sms-connector/src/routing/connector-runtime';
import type { ConnectorLimits, Routing } from '../../apps/sms-connector/src/submit-message.usecase';

/**
 * A carrier adapter for tests of the submit path: records what it was given and answers with
 * `answer` (default: taken, a random provider id). Stands in for the carrier only; the database,
 * breakers and routing around it are the real ones.
 */
export class RecordingAdapter implements CarrierAdapter {
  readonly calls: SubmitRequest[] = [];
  readonly identity: { id: string; name: string; kind: string };

  constructor(
    id: string,
    public answer: (req: SubmitRequest) => Promise<SubmitResult> = async () => ({ providerMessageId: randomUUID() }),
  ) {
    this.identity = { id, name: id.replace(/^conn_/, ''), kind: 'test' };
  }

  async submit(req: SubmitRequest): Promise<SubmitResult> {
    this.calls.push(req);
    return this.answer(req);
  }

  async close(): Promise<void> {}
}

/** A connector row for `adapter` with the registry's defaults (breaker: 5 failures, 5 s half-open). */
export function connectorRow(adapter: CarrierAdapter, over: Partial<ConnectorRow> = {}): ConnectorRow {
  return {
    id: adapter.identity.id,
    name: adapter.identity.name,
    kind: adapter.identity.kind,
    settings: {},
    enabled: true,
    tps: null,
    window: null,
    breakerFailures: 5,
    breakerHalfOpenMs: 5000,
    breakerOverride: null,
    ...over,
  };
}

/** Routing over `adapters`, tried in the order given, each behind its own real ConnectorBreaker. */
export function staticRouting(adapters: CarrierAdapter[], over: Partial<ConnectorRow> = {}): Routing & { live: LiveConnector[] } {
  const live: LiveConnector[] = adapters.map((adapter) => {
    const row = connectorRow(adapter, over);
    const breaker = new ConnectorBreaker({ failures: row.breakerFailures, halfOpenAfterMs: row.breakerHalfOpenMs }, () => undefined);
    breaker.configure({ failures: row.breakerFailures, halfOpenAfterMs: row.breakerHalfOpenMs }, row.breakerOverride);
    return { row, adapter, breaker };
  });
  return {
    live,
    candidates: () => live.map((c) => c.row.id),
    connector: (id) => live.find((c) => c.row.id === id),
  };
}

/** For tests whose connectors have no limits (tps and window null): nothing waits. */
export const unlimited: ConnectorLimits = { take: async () => undefined, run: (_id, _window, submit) => submit() };
