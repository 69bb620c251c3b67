import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import type { OpenAPIObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { IsE164, IsHttpUrl } from '../common/validators';
import { ruleKeywords, withValidationRules } from './validation-docs';

class LimitBody {
  @ApiProperty() @IsInt() @Min(1) @Max(10) n!: number;
}

class SampleBody {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) name!: string;
  @ApiPropertyOptional() @IsOptional() @IsHttpUrl() url?: string;
  @ApiProperty() @IsE164() to!: string;
  @ApiProperty({ enum: ['a', 'b'] }) @IsIn(['a', 'b', 'c']) kind!: string;
  @ApiPropertyOptional({ enum: ['x', 'y'] }) @IsOptional() @IsIn(['x', 'y']) scope?: string;
  @ApiProperty() @Matches(/^[a-z]+$/i) caseless!: string;
  @ApiProperty({ type: [String] }) @ArrayMinSize(1) tags!: string[];
  @ApiProperty({ type: LimitBody }) @ValidateNested() @Type(() => LimitBody) limit!: LimitBody;
}

class SampleQuery {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) page?: number;
}

describe('ruleKeywords', () => {
  it('states each rule as JSON Schema keywords, formats by name and optional fields as nullable', () => {
    const k = ruleKeywords(SampleBody);
    expect(k.get('name')).toEqual({ minLength: 1, maxLength: 100 });
    expect(k.get('url')).toEqual({ nullable: true, format: 'http-url' });
    expect(k.get('to')).toEqual({ format: 'e164' });
    expect(k.get('tags')).toEqual({ minItems: 1 });
    // A pattern with flags has no JSON Schema equivalent.
    expect(k.has('caseless')).toBe(false);
  });
});

describe('withValidationRules', () => {
  const doc = (): OpenAPIObject => ({
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths: {
      '/things': {
        post: { operationId: 'C_create', responses: {} },
        get: {
          operationId: 'C_list',
          responses: {},
          parameters: [{ name: 'page', in: 'query', required: false, schema: { type: 'number' } }],
        },
      },
    },
    components: {
      schemas: {
        SampleBody: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            url: { type: 'string' },
            to: { type: 'string' },
            kind: { type: 'string', enum: ['a', 'b'] },
            scope: { type: 'string', enum: ['x', 'y'] },
            tags: { type: 'array', items: { type: 'string' } },
            limit: { $ref: '#/components/schemas/LimitBody' },
          },
        },
        LimitBody: { type: 'object', properties: { n: { type: 'number' } } },
      },
    },
  });
  const routes = new Map([
    ['C_create', { guards: [], body: SampleBody, bodySchema: false }],
    ['C_list', { guards: [], query: SampleQuery, bodySchema: false }],
  ]);

  it('writes the rules into body models, nested ones and query parameters; the property’s own keywords win', () => {
    const out = withValidationRules(doc(), routes);
    const body = out.components!.schemas!.SampleBody as SchemaObject;
    expect(body.properties!.name).toEqual({ type: 'string', minLength: 1, maxLength: 100 });
    expect(body.properties!.kind).toEqual({ type: 'string', enum: ['a', 'b'] });
    expect(body.properties!.scope).toEqual({ type: 'string', enum: ['x', 'y', null], nullable: true });
    expect((out.components!.schemas!.LimitBody as SchemaObject).properties!.n).toEqual({ type: 'integer', minimum: 1, maximum: 10 });
    // A query parameter is absent rather than null.
    expect(out.paths['/things'].get!.parameters![0]).toMatchObject({ schema: { type: 'integer', minimum: 1 } });
  });
});
