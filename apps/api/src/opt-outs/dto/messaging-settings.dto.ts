import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { DEFAULT_REPLY_TEXTS } from '@gw/sms';

/** Longest reply text (characters), as for an MT body; the segment limit (MAX_SMS_SEGMENTS) is checked too. */
export const MAX_REPLY_CHARS = 1600;

const SCOPES = ['sender', 'project'];

const SCOPE_DESCRIPTION =
  'Whom an opt-out keyword (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT) opts the handset out of: `sender`, the number it wrote to; ' +
  '`project`, every sender of the project. START and UNSTOP lift the same.';

/** An optional reply text in a body: absent or null means the gateway's default. */
const ReplyText = (what: string, fallback: string) =>
  applyDecorators(
    ApiPropertyOptional({ nullable: true, type: String, maxLength: MAX_REPLY_CHARS, description: `${what}; null: "${fallback}"` }),
    IsOptional(),
    IsString(),
    MaxLength(MAX_REPLY_CHARS),
    Matches(/\S/, { message: '$property must not be blank' }),
  );

/** `PUT /admin/projects/{id}/messaging-settings` body: replaces every setting, absent ones taking the defaults. */
export class MessagingSettingsDto {
  @ApiPropertyOptional({ enum: SCOPES, default: 'sender', description: SCOPE_DESCRIPTION })
  @IsOptional()
  @IsIn(SCOPES)
  opt_out_scope?: 'sender' | 'project';

  @ReplyText('Answer to HELP and INFO, sent from the number they were sent to', DEFAULT_REPLY_TEXTS.help)
  help_text?: string | null;

  @ReplyText('The single confirmation of an opt-out keyword', DEFAULT_REPLY_TEXTS.opt_out)
  stop_confirmation?: string | null;

  @ReplyText('The confirmation of an opt-in keyword (START, UNSTOP)', DEFAULT_REPLY_TEXTS.opt_in)
  start_confirmation?: string | null;
}

/** A project's messaging settings; a null text means the gateway's default. */
export class EffectiveMessagingSettingsDto {
  @ApiProperty({ enum: SCOPES, description: SCOPE_DESCRIPTION }) opt_out_scope!: 'sender' | 'project';
  @ApiProperty({ nullable: true, type: String, description: `null: "${DEFAULT_REPLY_TEXTS.help}"` }) help_text!: string | null;
  @ApiProperty({ nullable: true, type: String, description: `null: "${DEFAULT_REPLY_TEXTS.opt_out}"` }) stop_confirmation!: string | null;
  @ApiProperty({ nullable: true, type: String, description: `null: "${DEFAULT_REPLY_TEXTS.opt_in}"` }) start_confirmation!: string | null;
}
