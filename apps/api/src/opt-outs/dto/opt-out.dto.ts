import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, ValidateBy } from 'class-validator';
import { PageQueryDto } from '../../common/list-query.dto';
import { IsE164, isSmsSender, RULE_MESSAGES } from '../../common/validators';

/** A sender as an SMS source address (E.164 or alphanumeric sender id, see isSmsSender); the error names the field. */
function IsSender(): PropertyDecorator {
  return ValidateBy({
    name: 'isSmsSender',
    validator: { validate: isSmsSender, defaultMessage: () => `$property ${RULE_MESSAGES.sender}` },
  });
}

/** `POST /v1/opt-outs` body. */
export class CreateOptOutDto {
  @ApiProperty({ description: 'The handset, E.164', example: '+14155550100' })
  @IsE164()
  phone!: string;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description:
      'Sender (E.164 number or alphanumeric sender id) the handset no longer gets MTs from; null or absent: every sender of the project',
    example: '+14155550199',
  })
  @IsOptional()
  @IsSender()
  sender?: string | null;
}

/** `GET /v1/opt-outs` query. */
export class ListOptOutsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only this handset (E.164)', example: '+14155550100' })
  @IsOptional()
  @IsE164()
  phone?: string;

  @ApiPropertyOptional({ description: 'Only opt-outs of this sender (project-wide ones have none: find them by phone)' })
  @IsOptional()
  @IsSender()
  sender?: string;
}

/** An opt-out as the API returns it. */
export class OptOutDto {
  @ApiProperty({ example: 'opt_3kT9aQ2xY7bN5mP1cR8dV4wZ' }) id!: string;
  @ApiProperty({ description: 'The handset, E.164' }) phone!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The sender opted out of; null: every sender of the project' }) sender!:
    string | null;
  @ApiProperty({ enum: ['keyword', 'api'], description: 'keyword: the handset sent an opt-out keyword (STOP ...); api: POST /v1/opt-outs' })
  source!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The keyword the handset sent, upper-cased (STOP)' }) keyword!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The MO (msg_...) that carried the keyword' }) message_id!: string | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
}

/** A page of opt-outs, newest first; pass `next_cursor` as `cursor` for the next page. */
export class OptOutPageDto {
  @ApiProperty({ type: [OptOutDto] }) data!: OptOutDto[];
  @ApiProperty({ nullable: true, type: String }) next_cursor!: string | null;
}
