import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { PageQueryDto } from '../../common/list-query.dto';

/** `GET /admin/audit-log` query. */
export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ pattern: '^prj_[0-9A-Za-z]{1,40}$' })
  @IsOptional()
  @Matches(/^prj_[0-9A-Za-z]{1,40}$/, { message: 'project_id must be a project id (prj_...)' })
  project_id?: string;

  @ApiPropertyOptional({ description: 'Dotted action, e.g. api_key.revoked', pattern: '^[a-z_]{1,40}(\\.[a-z_]{1,40}){1,3}$' })
  @IsOptional()
  @Matches(/^[a-z_]{1,40}(\.[a-z_]{1,40}){1,3}$/, { message: 'action must be a dotted action such as api_key.revoked' })
  action?: string;
}

export class AuditRecordDto {
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ description: '`operator`, `key:<prefix>` or `jwt:<sub>`' }) actor!: string;
  @ApiProperty({ nullable: true, type: String }) project_id!: string | null;
  @ApiProperty({ example: 'api_key.revoked' }) action!: string;
  @ApiProperty({ nullable: true, type: String }) target!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) detail!: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String }) ip!: string | null;
  @ApiProperty({ nullable: true, type: String }) user_agent!: string | null;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditRecordDto] }) data!: AuditRecordDto[];
  @ApiProperty({ nullable: true, type: String }) next_cursor!: string | null;
}
