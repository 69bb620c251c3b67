import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { PageQueryDto } from '../../common/list-query.dto';
import { IsFlowId, IsHttpUrl } from '../../common/validators';

/** A phone number of the project as `/v1/numbers` returns it. */
export class NumberDto {
  @ApiProperty({ example: 'pn_3kT9aQ2xY7bN5mP1cR8dV4wZ' }) id!: string;
  @ApiProperty({ description: 'The number, E.164', example: '+14155550100' }) e164!: string;

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Flow whose active version answers calls to this number; null: such calls are rejected',
  })
  voice_flow_id!: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    description: "Where MO (inbound) SMS to this number are called back, signed; null: the project's default_callback_url",
  })
  sms_callback_url!: string | null;

  @ApiProperty({ format: 'date-time', description: 'When the number was assigned to the project' }) created_at!: string;
}

/** A page of the project's numbers, newest first; pass `next_cursor` as `cursor` for the next page. */
export class NumberPageDto {
  @ApiProperty({ type: [NumberDto] }) data!: NumberDto[];
  @ApiPropertyOptional({ nullable: true, type: String }) next_cursor!: string | null;
}

/** `GET /v1/numbers` query: page size and cursor, as the other lists. */
export class ListNumbersQueryDto extends PageQueryDto {}

/**
 * `PATCH /v1/numbers/{numberId}`: the routing fields to change (JSON merge patch, RFC 7396): a
 * field left out keeps its value, null clears it; `{}` changes nothing.
 */
export class UpdateNumberDto {
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Flow of this project whose active version answers calls to the number; null rejects them',
  })
  @IsOptional()
  @IsFlowId()
  voice_flow_id?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description:
      "http(s) URL that receives MO SMS to the number (signed callbacks); null returns them to the project's default_callback_url",
  })
  @IsOptional()
  @IsHttpUrl()
  sms_callback_url?: string | null;
}
