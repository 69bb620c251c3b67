import { Injectable } from '@nestjs/common';
import { dialTargetRefusal, type DialAllowlist } from '@gw/calls';
import { DomainError, ErrorCode, type FieldError } from '@gw/errors';
import { type Flow, flowOutbound } from '@gw/flow';
import { CallbackUrlPolicy } from '../common/callback-urls';
import { DialAllowlistRepository } from './dial-allowlist.repository';

/**
 * What a valid flow document may make the gateway do for its project, checked when the flow is
 * accepted (`POST /v1/flows`, `POST /v1/flows/{id}/versions`, the inline `flow` of `POST /v1/calls`):
 * its `redirect` URLs and gather `actionHook`s must be deliverable (CallbackUrlPolicy: public
 * addresses or the operator's exceptions on their ports, host names resolved), its `dial` targets
 * inside the project's dial allowlist (@gw/calls dialTargetRefusal). The orchestrator checks both
 * again when the call reaches the step: URLs and targets that documents fetched at run time name,
 * and allowlist changes made after the flow was accepted.
 */
@Injectable()
export class FlowAcceptance {
  constructor(
    private readonly urls: CallbackUrlPolicy,
    private readonly allowlists: DialAllowlistRepository,
  ) {}

  /**
   * @param flow a document that passed validateFlow.
   * @param pointerPrefix where the document sits in the request body (`/document`, `/flow`).
   * @throws DomainError validation_failed with one field per refused URL or dial target, a JSON
   *   Pointer into the request body like the validator's (`/document/steps/2/url`).
   */
  async assertAcceptable(projectId: string, flow: Flow, pointerPrefix = '/document'): Promise<void> {
    const outbound = flowOutbound(flow);
    if (outbound.length === 0) return;
    let allowlist: DialAllowlist | null = null;
    if (outbound.some((o) => o.kind === 'dial')) allowlist = (await this.allowlists.find(projectId))?.dialAllowlist ?? null;
    const fields: FieldError[] = [];
    // One lookup at a time: a document may name many host names, and lookups hold threads of libuv's small pool.
    for (const o of outbound) {
      const problem = o.kind === 'url' ? await this.urls.problem(o.value) : dialTargetRefusal(allowlist, o.value);
      if (problem !== null) fields.push({ field: `${pointerPrefix}${o.path}`, message: problem });
    }
    if (fields.length === 0) return;
    throw new DomainError(ErrorCode.ValidationFailed, `flow refused: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`, fields);
  }
}
