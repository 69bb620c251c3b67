import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, IsUrl, Matches, MaxLength } from 'class-validator';

/** `POST /admin/projects` body. */
export class CreateProjectDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) name!: string;

  @ApiPropertyOptional({ description: 'Where callbacks go when a message has no status_callback' })
  @IsOptional()
  @IsString()
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'default_callback_url must be an http(s) URL' },
  )
  default_callback_url?: string;
}

/** `POST /admin/projects/{id}/numbers` body. */
export class AddNumberDto {
  @ApiProperty({ example: '+14155550100' })
  @IsString()
  @Matches(/^\+[1-9]\d{1,14}$/, { message: 'e164 must be an E.164 number such as +14155550100' })
  e164!: string;

  @ApiPropertyOptional({ description: 'Flow (of the same project) whose active version answers calls to this number' })
  @IsOptional()
  @IsString()
  @Matches(/^flw_[A-Za-z0-9]{1,64}$/, { message: 'voice_flow_id must be a flow id (flw_...)' })
  voice_flow_id?: string;
}

/** A new project with its first API key and its webhook signing secret; both are shown only here. */
export class CreatedProjectDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) default_callback_url!: string | null;
  @ApiProperty({ description: "Standard Webhooks secret (whsec_...) that signs this project's callbacks" }) webhook_secret!: string;
  @ApiProperty({ description: 'Bearer API key; store it now, only its hash is kept' }) api_key!: string;
}

export class CreatedApiKeyDto {
  @ApiProperty() id!: string;
  @ApiProperty() api_key!: string;
}

export class PhoneNumberDto {
  @ApiProperty() id!: string;
  @ApiProperty() project_id!: string;
  @ApiProperty() e164!: string;
  @ApiProperty({ nullable: true, type: String }) voice_flow_id!: string | null;
}
