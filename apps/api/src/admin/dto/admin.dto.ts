import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsE164, IsFlowId, IsHttpUrl } from '../../common/validators';

/** `POST /admin/projects` body. */
export class CreateProjectDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) name!: string;

  @ApiPropertyOptional({ description: 'Where callbacks go when a message has no status_callback' })
  @IsOptional()
  @IsHttpUrl()
  default_callback_url?: string;
}

/** `POST /admin/projects/{id}/numbers` body. */
export class AddNumberDto {
  @ApiProperty({ example: '+14155550100' })
  @IsE164()
  e164!: string;

  @ApiPropertyOptional({ description: 'Flow (of the same project) whose active version answers calls to this number' })
  @IsOptional()
  @IsFlowId()
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

export class PhoneNumberDto {
  @ApiProperty() id!: string;
  @ApiProperty() project_id!: string;
  @ApiProperty() e164!: string;
  @ApiProperty({ nullable: true, type: String }) voice_flow_id!: string | null;
}
