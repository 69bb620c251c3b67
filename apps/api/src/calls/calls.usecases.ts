import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { isTerminalCall, lockCall, transitionCall } from '@gw/calls';
import { CallEntity, DATA_SOURCE, FlowEntity, FlowVersionEntity, newId } from '@gw/database';
import { DomainError, ErrorCode } from '@gw/errors';
import { correlationHeaders, EventTypes, Topics } from '@gw/kafka';
import { writeOutbox } from '@gw/outbox';
import { traceparentOf } from '@gw/tracing';
import { claimIdempotencyKey, requestHash, saveIdempotentResponse, StoredResponse } from '../idempotency/idempotency';
import { CallbackUrlPolicy } from '../common/callback-urls';
import { FlowAcceptance } from '../flows/flow-acceptance';
import { assertValidFlow } from '../flows/flows.usecases';
import { SenderPolicy } from '../numbers/sender-policy';
import { toCallDto } from './call.mapper';
import type { CallDto, CreateCallDto } from './dto/call.dto';

/** Ring time (s) and call length limit (s) when the request gives none. */
export const DEFAULT_TIMEOUT_S = 30;
export const DEFAULT_TIME_LIMIT_S = 3600;

/**
 * Call writes of the api: place a call (row + first timeline entry + `call.requested` outbox event in
 * one transaction) and request a hangup. The api never talks to Asterisk.
 */
@Injectable()
export class CallsUseCases {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    private readonly callbackUrls: CallbackUrlPolicy,
    private readonly senders: SenderPolicy,
    private readonly flows: FlowAcceptance,
  ) {}

  /**
   * @throws DomainError validation_failed (flow choice or document, an inline flow's URLs or dial
   * targets: FlowAcceptance, status_callback on a refused address: CallbackUrlPolicy), forbidden naming `from` when it is not a number of the project
   * (checked after a replay, before anything is written), not_found (flow or version), and the
   * idempotency errors (409/422).
   */
  async create(
    projectId: string,
    dto: CreateCallDto,
    idempotencyKey?: string,
    correlationId?: string,
  ): Promise<StoredResponse & { replayed: boolean }> {
    if (Boolean(dto.flow_id) === Boolean(dto.flow)) throw DomainError.invalid('flow_id', 'give exactly one of flow_id and flow');
    if (dto.flow_version !== undefined && !dto.flow_id) throw DomainError.invalid('flow_version', 'only goes with flow_id');
    const inline = dto.flow ? assertValidFlow(dto.flow, '/flow') : null;
    await this.callbackUrls.assertDeliverable('status_callback', dto.status_callback);
    if (inline) await this.flows.assertAcceptable(projectId, inline, '/flow');
    const hash = requestHash('POST /v1/calls', dto);
    return this.ds.transaction(async (tx) => {
      if (idempotencyKey) {
        const stored = await claimIdempotencyKey(tx, projectId, idempotencyKey, hash);
        if (stored) return { ...stored, replayed: true };
      }
      await this.senders.assertMayUse(projectId, dto.from, 'voice', tx);
      const flow = dto.flow
        ? { document: dto.flow, flowId: null, version: null }
        : await this.resolveFlow(tx, projectId, dto.flow_id!, dto.flow_version);
      const now = new Date();
      const call: CallEntity = {
        id: newId('call'),
        projectId,
        direction: 'outbound',
        to: dto.to,
        from: dto.from,
        status: 'queued',
        hangupCause: null,
        flowId: flow.flowId,
        flowVersion: flow.version,
        flowDocument: flow.document,
        statusCallback: dto.status_callback ?? null,
        timeoutS: dto.timeout ?? DEFAULT_TIMEOUT_S,
        timeLimitS: dto.time_limit ?? DEFAULT_TIME_LIMIT_S,
        channelId: null,
        owner: null,
        leaseExpiresAt: null,
        ariServer: null,
        interpreterState: null,
        traceparent: traceparentOf(),
        answeredAt: null,
        endedAt: null,
        durationS: null,
        createdAt: now,
        updatedAt: now,
      };
      await tx.query(
        `INSERT INTO calls (id, project_id, direction, to_number, from_number, status, flow_id, flow_version, flow_document,
                            status_callback, timeout_s, time_limit_s, created_at, updated_at, traceparent)
         VALUES ($1, $2, 'outbound', $3, $4, 'queued', $5, $6, $7::jsonb, $8, $9, $10, $11, $11, $12)`,
        [
          call.id,
          projectId,
          call.to,
          call.from,
          call.flowId,
          call.flowVersion,
          JSON.stringify(call.flowDocument),
          call.statusCallback,
          call.timeoutS,
          call.timeLimitS,
          now,
          call.traceparent,
        ],
      );
      await tx.query(
        `INSERT INTO call_events (id, call_id, seq, kind, from_status, event, to_status, occurred_at) VALUES ($1, $2, 1, 'transition', NULL, 'api.create', 'queued', $3)`,
        [randomUUID(), call.id, now],
      );
      await writeOutbox(tx, [
        {
          topic: Topics.CallCommands,
          key: call.id,
          type: EventTypes.CallRequested,
          payload: { call_id: call.id, project_id: projectId },
          headers: correlationHeaders(correlationId),
        },
      ]);
      const response: StoredResponse = { status: 201, body: toCallDto(call) };
      if (idempotencyKey) await saveIdempotentResponse(tx, projectId, idempotencyKey, hash, response);
      return { ...response, replayed: false };
    });
  }

  /**
   * Requests a hangup: a queued call is canceled at once; a live one gets a `call.hangup_requested`
   * event for the orchestrator. @throws DomainError not_found, conflict when the call has ended.
   */
  async hangup(projectId: string, callId: string, correlationId?: string): Promise<CallDto> {
    await this.ds.transaction(async (tx) => {
      const call = await lockCall(tx, callId);
      if (!call || call.projectId !== projectId) throw DomainError.notFound('call');
      if (isTerminalCall(call.status)) throw new DomainError(ErrorCode.Conflict, `call already ended (${call.status})`);
      if (call.status === 'queued' && !call.channelId) {
        await transitionCall(tx, { callId, to: 'canceled', event: 'api.hangup', hangupCause: 'CANCELED_BEFORE_DIAL', correlationId });
      }
      await writeOutbox(tx, [
        {
          topic: Topics.CallCommands,
          key: callId,
          type: EventTypes.CallHangupRequested,
          payload: { call_id: callId, project_id: projectId },
          headers: correlationHeaders(correlationId),
        },
      ]);
    });
    const call = await this.ds.getRepository(CallEntity).findOneByOrFail({ id: callId });
    return toCallDto(call);
  }

  private async resolveFlow(tx: EntityManager, projectId: string, flowId: string, version?: number) {
    const flow = await tx.findOneBy(FlowEntity, { id: flowId, projectId });
    if (!flow) throw new DomainError(ErrorCode.NotFound, 'flow not found', [{ field: 'flow_id', message: 'no such flow' }]);
    const wanted = version ?? flow.activeVersion;
    const row = wanted ? await tx.findOneBy(FlowVersionEntity, { flowId, version: wanted }) : null;
    if (!row) throw new DomainError(ErrorCode.NotFound, 'flow version not found', [{ field: 'flow_version', message: 'no such version' }]);
    return { document: row.document, flowId, version: row.version };
  }
}
