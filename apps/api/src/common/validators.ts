import { applyDecorators } from '@nestjs/common';
import { IsString, IsUrl, Matches } from 'class-validator';

/** E.164 number: `+`, country code, at most 15 digits (ITU-T E.164). */
export const E164 = /^\+[1-9]\d{1,14}$/;

/** A string that is an E.164 number; the error names the field. */
export function IsE164(): PropertyDecorator {
  return applyDecorators(IsString(), Matches(E164, { message: '$property must be an E.164 number such as +14155550100' }));
}

/** A string that is an absolute http(s) URL (callback and webhook targets); the error names the field. */
export function IsHttpUrl(): PropertyDecorator {
  return applyDecorators(
    IsString(),
    IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: '$property must be an http(s) URL' }),
  );
}

/** A flow id as the API issues them (`flw_` + base62). */
export function IsFlowId(): PropertyDecorator {
  return applyDecorators(IsString(), Matches(/^flw_[A-Za-z0-9]{1,64}$/, { message: '$property must be a flow id (flw_...)' }));
}
