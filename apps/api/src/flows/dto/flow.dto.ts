import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsObject, IsString, MaxLength } from 'class-validator';

/** `POST /v1/flows`: a named flow with its first version (which becomes active). */
export class CreateFlowDto {
  @ApiProperty({ example: 'IVR main menu' }) @IsString() @IsNotEmpty() @MaxLength(100) name!: string;

  @ApiProperty({ description: 'Flow document, validated against GET /v1/flows/schema', type: 'object', additionalProperties: true })
  @IsObject()
  document!: Record<string, unknown>;
}

/** `POST /v1/flows/{id}/versions`: a new version (not active until activated). */
export class CreateFlowVersionDto {
  @ApiProperty({ type: 'object', additionalProperties: true }) @IsObject() document!: Record<string, unknown>;
}

/** A flow with its versions; `document` is the active version's. */
export class FlowDto {
  @ApiProperty({ example: 'flw_3kT9aQ2xY7bN5mP1cR8dV4wZ' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: Number }) active_version!: number | null;
  @ApiProperty({ type: [Number] }) versions!: number[];
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) document!: Record<string, unknown> | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
}

export class FlowVersionDto {
  @ApiProperty() flow_id!: string;
  @ApiProperty() version!: number;
  @ApiProperty() active!: boolean;
  @ApiProperty({ type: 'object', additionalProperties: true }) document!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
}

export class FlowListDto {
  @ApiProperty({ type: [FlowDto] }) data!: FlowDto[];
}
