import { Static, Type } from '@sinclair/typebox';

/** Longest body accepted before segment counting (characters); the segment limit usually bites first. */
export const MAX_BODY_CHARS = 1600;

/**
 * `POST /v1/messages` body as JSON Schema: Fastify validates it with ajv before the handler runs
 * (formats and error shapes in common/json-schema.ts), and the OpenAPI document shows the same
 * schema. Unknown fields are rejected; nothing is coerced (a number where a string is due fails).
 */
export const CreateMessageBody = Type.Object(
  {
    to: Type.String({ format: 'e164', description: 'Destination, E.164', example: '+14155550100' }),
    from: Type.String({
      format: 'sms-sender',
      description: 'Sender: E.164 number or alphanumeric sender id (1-11 chars)',
      example: 'ACME',
    }),
    body: Type.String({
      minLength: 1,
      maxLength: MAX_BODY_CHARS,
      description: `Text; GSM-7 or UCS-2 is chosen by content (GSM 03.38). At most ${MAX_BODY_CHARS} characters.`,
    }),
    status_callback: Type.Optional(
      Type.String({ format: 'http-url', description: 'URL that receives signed status callbacks; the project default when absent' }),
    ),
    validity_period: Type.Optional(
      Type.Integer({
        minimum: 60,
        maximum: 345600,
        description: 'Seconds the SMSC keeps trying before the message expires (60 s to 4 days)',
      }),
    ),
  },
  { additionalProperties: false },
);

/** A body that passed CreateMessageBody. */
export type CreateMessageRequest = Static<typeof CreateMessageBody>;
