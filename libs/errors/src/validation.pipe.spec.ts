import { IsInt, IsOptional } from 'class-validator';
import { DomainError, ErrorCode } from './domain-error';
import { strictValidationPipe } from './validation.pipe';

class OptionalBodyDto {
  @IsOptional()
  @IsInt()
  overlap_s?: number;
}

describe('strictValidationPipe', () => {
  const pipe = strictValidationPipe();
  const body = { type: 'body' as const, metatype: OptionalBodyDto };
  const refusal = (value: unknown) => pipe.transform(value, body).catch((e: unknown) => e);

  it('reads a request without a body as {} for an all-optional DTO', async () => {
    await expect(pipe.transform(undefined, body)).resolves.toBeInstanceOf(OptionalBodyDto);
  });

  it('refuses a JSON null body, naming the body', async () => {
    const err = await refusal(null);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe(ErrorCode.ValidationFailed);
    expect((err as DomainError).fields).toEqual([{ field: 'body', message: 'must be a JSON object' }]);
  });

  it('coerces nothing: false is not a number, and unknown fields are refused', async () => {
    expect(((await refusal({ overlap_s: false })) as DomainError).fields?.map((f) => f.field)).toEqual(['overlap_s']);
    expect(((await refusal({ other: 1 })) as DomainError).fields?.map((f) => f.field)).toEqual(['other']);
  });
});
