import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ListQueryDto } from '../../common/list-query.dto';

const STATUSES = ['queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'received'];

/** `GET /v1/messages` query. */
export class ListMessagesQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: string;
}
