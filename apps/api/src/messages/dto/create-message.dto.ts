import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min, ValidateBy } from 'class-validator';
import { IsE164, IsHttpUrl } from '../../common/validators';
import { isAlphanumericSenderId, isE164 } from '@gw/sms-text';

/** Longest body accepted before segment counting (characters); the segment limit usually bites first. */
export const MAX_BODY_CHARS = 1600;

/** `POST /v1/messages` body. Unknown fields are rejected. */
export class CreateMessageDto {
  @ApiProperty({ description: 'Destination, E.164', example: '+14155550100' })
  @IsE164()
  to!: string;

  @ApiProperty({ description: 'Sender: E.164 number or alphanumeric sender id (1-11 chars)', example: 'ACME' })
  @IsString()
  @ValidateBy({
    name: 'isSender',
    validator: {
      validate: (v: unknown) => typeof v === 'string' && (isE164(v) || isAlphanumericSenderId(v)),
      defaultMessage: () => 'from must be an E.164 number or an alphanumeric sender id of at most 11 characters',
    },
  })
  from!: string;

  @ApiProperty({ description: `Text; GSM-7 or UCS-2 is chosen by content (GSM 03.38). At most ${MAX_BODY_CHARS} characters.` })
  @IsString()
  @IsNotEmpty({ message: 'body must not be empty' })
  @MaxLength(MAX_BODY_CHARS)
  body!: string;

  @ApiPropertyOptional({ description: 'URL that receives signed status callbacks; the project default when absent' })
  @IsOptional()
  @IsHttpUrl()
  status_callback?: string;

  @ApiPropertyOptional({
    description: 'Seconds the SMSC keeps trying before the message expires (60 s to 4 days)',
    minimum: 60,
    maximum: 345600,
  })
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(345600)
  validity_period?: number;
}
