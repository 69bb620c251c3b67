import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Actor } from '../audit/actor.decorator';
import type { AuditContext } from '../audit/audit-log.repository';
import { OperatorGuard } from '../auth/operator.guard';
import { GrantSenderIdDto, SenderIdDto, SenderIdListDto } from './dto/sender-id.dto';
import { SenderIdsUseCases } from './sender-ids.usecases';

/** Operator routes: the alphanumeric sender ids a project may send SMS from. Guarded by `X-Operator-Secret`. */
@ApiTags('admin')
@ApiSecurity('operator')
@UseGuards(OperatorGuard)
@Controller('admin/projects/:projectId/sender-ids')
export class SenderIdsController {
  constructor(private readonly senderIds: SenderIdsUseCases) {}

  @Get()
  @ApiOkResponse({ type: SenderIdListDto })
  async list(@Param('projectId') projectId: string): Promise<SenderIdListDto> {
    return { data: await this.senderIds.list(projectId) };
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Grants an alphanumeric sender id to the project',
    description:
      'Idempotent: a sender id the project already holds is answered as is. The same sender id may be granted to several projects.',
  })
  @ApiCreatedResponse({ type: SenderIdDto })
  grant(@Actor() actor: AuditContext, @Param('projectId') projectId: string, @Body() dto: GrantSenderIdDto): Promise<SenderIdDto> {
    return this.senderIds.grant(actor, projectId, dto.sender_id);
  }

  @Delete(':senderId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revokes a sender id grant: MT SMS from it are refused (403) from then on' })
  @ApiParam({ name: 'senderId', description: 'The sender id as granted (URL-encoded: ACME%20Bank) or the grant id (snd_...)' })
  @ApiNoContentResponse({ description: 'Revoked' })
  revoke(@Actor() actor: AuditContext, @Param('projectId') projectId: string, @Param('senderId') senderId: string): Promise<void> {
    return this.senderIds.revoke(actor, projectId, senderId);
  }
}
