import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { OperatorGuard } from '../auth/operator.guard';
import { AuditLogRepository } from './audit-log.repository';
import { AuditPageDto, AuditQueryDto } from './dto/audit.dto';

/** `GET /admin/audit-log`: the operator's view of every administrative action, newest first. */
@ApiTags('admin')
@ApiSecurity('operator')
@UseGuards(OperatorGuard)
@Controller('admin/audit-log')
export class AuditController {
  constructor(private readonly audit: AuditLogRepository) {}

  @Get()
  @ApiOperation({ summary: 'Lists administrative actions (who, what, when, from where), newest first' })
  @ApiOkResponse({ type: AuditPageDto })
  list(@Query() q: AuditQueryDto): Promise<AuditPageDto> {
    return this.audit.list(q);
  }
}
