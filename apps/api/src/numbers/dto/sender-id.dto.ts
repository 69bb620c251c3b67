import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, ValidateBy } from 'class-validator';
import { isAlphanumericSenderId } from '@gw/sms-text';

/** What an alphanumeric sender id must be, worded for an error naming the field. */
const SENDER_ID_RULE =
  'must be an alphanumeric sender id: 1 to 11 characters of A-Z, a-z, 0-9 and space, at least one of them a letter (3GPP TS 23.040 section 9.1.2.5)';

/** A string that is an alphanumeric sender id (see isAlphanumericSenderId); the error names the field. */
function IsAlphanumericSenderId(): PropertyDecorator {
  return applyDecorators(
    IsString(),
    ValidateBy({
      name: 'isAlphanumericSenderId',
      validator: {
        validate: (v: unknown) => typeof v === 'string' && isAlphanumericSenderId(v),
        defaultMessage: () => `$property ${SENDER_ID_RULE}`,
      },
    }),
  );
}

/** `POST /admin/projects/{id}/sender-ids` body. */
export class GrantSenderIdDto {
  @ApiProperty({
    description: 'Alphanumeric sender id (TP-OA alphanumeric, 3GPP TS 23.040 9.1.2.5), matched exactly, case included',
    example: 'ACME',
    minLength: 1,
    maxLength: 11,
    pattern: '^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$',
  })
  @IsAlphanumericSenderId()
  sender_id!: string;
}

/** An alphanumeric sender id granted to a project. */
export class SenderIdDto {
  @ApiProperty({ example: 'snd_3kT9aQ2xY7bN5mP1cR8dV4wZ' }) id!: string;
  @ApiProperty() project_id!: string;
  @ApiProperty({ example: 'ACME' }) sender_id!: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
}

/** Every sender id granted to a project, in sender id order. */
export class SenderIdListDto {
  @ApiProperty({ type: [SenderIdDto] }) data!: SenderIdDto[];
}
