import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** Most entries in one list of a dial allowlist. */
export const MAX_DIAL_ALLOWLIST_ENTRIES = 200;

/** An E.164 prefix: `+`, a country code digit, then up to 14 more digits (ITU-T E.164). */
const E164_PREFIX = '^\\+[1-9][0-9]{0,14}$';
/** A DNS host name (RFC 1123 labels) or an IPv4 address, as a SIP URI host is written in a flow. */
const SIP_DOMAIN = '^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$';
/** A PJSIP endpoint as the flow DSL writes it after `PJSIP/`: `alice`, `1000@trunk`. */
const PJSIP_ENDPOINT = '^[A-Za-z0-9_.+-]+(@[A-Za-z0-9_.-]+)?$';

/** One list of the body: absent is empty; each entry matches `pattern`. */
const Entries = (pattern: string, maxLength: number, description: string, example: string[]) =>
  applyDecorators(
    ApiPropertyOptional({
      type: 'array',
      items: { type: 'string', pattern, maxLength },
      maxItems: MAX_DIAL_ALLOWLIST_ENTRIES,
      description: `${description}. Absent: empty (none allowed)`,
      example,
    }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(MAX_DIAL_ALLOWLIST_ENTRIES),
    IsString({ each: true }),
    MaxLength(maxLength, { each: true }),
    Matches(new RegExp(pattern), { each: true }),
  );

const DESCRIPTIONS = {
  e164_prefixes: 'E.164 prefixes (+1, +4420): an E.164 dial target must start with one',
  sip_domains: 'SIP domains (pbx.example.com): a sip:/sips: target must have one of them as its host (exact, case-insensitive)',
  pjsip_endpoints: 'Asterisk PJSIP endpoints as written after PJSIP/ (alice, 1000@trunk): a PJSIP/ target must be one of them',
} as const;

/**
 * `PUT /admin/projects/{id}/dial-allowlist` body: replaces the project's dial allowlist. Each list
 * allows exactly what it names, so a list absent or empty allows nothing of its kind.
 */
export class SetDialAllowlistDto {
  @Entries(E164_PREFIX, 16, DESCRIPTIONS.e164_prefixes, ['+1', '+4420']) e164_prefixes?: string[];
  @Entries(SIP_DOMAIN, 253, DESCRIPTIONS.sip_domains, ['pbx.example.com']) sip_domains?: string[];
  @Entries(PJSIP_ENDPOINT, 200, DESCRIPTIONS.pjsip_endpoints, []) pjsip_endpoints?: string[];
}

/**
 * A project's dial allowlist as the api and the orchestrator apply it. Unset (the default): any
 * E.164 number may be dialled (`e164_prefixes` null), no SIP URI and no PJSIP endpoint.
 */
export class DialAllowlistDto {
  @ApiProperty() project_id!: string;
  @ApiProperty({ description: 'Whether the operator set an allowlist; false: the default applies' }) set!: boolean;
  @ApiProperty({ type: [String], nullable: true, description: `${DESCRIPTIONS.e164_prefixes}; null: any E.164 number (the default)` })
  e164_prefixes!: string[] | null;
  @ApiProperty({ type: [String], description: DESCRIPTIONS.sip_domains }) sip_domains!: string[];
  @ApiProperty({ type: [String], description: DESCRIPTIONS.pjsip_endpoints }) pjsip_endpoints!: string[];
}
