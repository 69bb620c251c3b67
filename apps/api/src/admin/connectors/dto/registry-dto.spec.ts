import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { fieldErrorsOf } from '@gw/errors';
import { CreateConnectorDto, SetBreakerDto, UpdateConnectorDto } from './connector.dto';
import { CreateSmsRouteDto, ListSmsRoutesQueryDto, UpdateSmsRouteDto } from './sms-route.dto';

/** The fields the api's validation pipe names for `body` (same options: unknown fields refused). */
const fieldsOf = async (cls: new () => object, body: unknown) =>
  fieldErrorsOf(await validate(plainToInstance(cls, body) as object, { whitelist: true, forbidNonWhitelisted: true })).map((f) => f.field);

const SETTINGS = { url: 'http://127.0.0.1:1401', username: 'gw', password_ref: 'env:JASMIN_PASSWORD' };

describe('connector bodies', () => {
  it('take a name, a registered kind and settings; limits and breaker settings are optional', async () => {
    expect(await fieldsOf(CreateConnectorDto, { name: 'jasmin-eu-1', kind: 'jasmin', settings: SETTINGS })).toEqual([]);
    expect(
      await fieldsOf(CreateConnectorDto, {
        name: 'a',
        kind: 'jasmin',
        settings: {},
        enabled: false,
        tps: null,
        window: 50,
        breaker_failures: 3,
        breaker_half_open_ms: 100,
      }),
    ).toEqual([]);
  });

  it('name each bad field: name, kind, settings, limits, breaker settings, unknown fields', async () => {
    expect(
      await fieldsOf(CreateConnectorDto, {
        name: 'Jasmin EU',
        kind: 'carrier-pigeon',
        settings: ['not', 'an', 'object'],
        tps: 0,
        window: 1.5,
        breaker_failures: null,
        breaker_half_open_ms: 99,
        enabled: 'yes',
        colour: 'red',
      }),
    ).toEqual(['colour', 'name', 'kind', 'settings', 'enabled', 'tps', 'window', 'breaker_failures', 'breaker_half_open_ms']);
    expect(await fieldsOf(CreateConnectorDto, {})).toEqual(['name', 'kind', 'settings']);
    expect(await fieldsOf(CreateConnectorDto, { name: 'x'.repeat(65), kind: 'jasmin', settings: {} })).toEqual(['name']);
  });

  it('a patch changes any field but the kind; only tps and window may be null', async () => {
    expect(await fieldsOf(UpdateConnectorDto, {})).toEqual([]);
    expect(await fieldsOf(UpdateConnectorDto, { tps: null, window: null, enabled: true, settings: SETTINGS })).toEqual([]);
    expect(await fieldsOf(UpdateConnectorDto, { kind: 'jasmin' })).toEqual(['kind']);
    expect(await fieldsOf(UpdateConnectorDto, { name: null, settings: null, enabled: null, breaker_failures: null })).toEqual([
      'name',
      'settings',
      'enabled',
      'breaker_failures',
    ]);
  });

  it('the breaker takes open, closed or auto', async () => {
    for (const state of ['open', 'closed', 'auto']) expect(await fieldsOf(SetBreakerDto, { state })).toEqual([]);
    expect(await fieldsOf(SetBreakerDto, { state: 'half-open' })).toEqual(['state']);
    expect(await fieldsOf(SetBreakerDto, {})).toEqual(['state']);
  });
});

describe('route bodies', () => {
  const ids = ['conn_a', 'conn_b'];

  it('take a prefix of up to 15 digits (empty: every destination), 1 to 10 distinct connector ids, an optional project and price', async () => {
    expect(await fieldsOf(CreateSmsRouteDto, { prefix: '', connector_ids: ids })).toEqual([]);
    expect(
      await fieldsOf(CreateSmsRouteDto, {
        project_id: 'prj_abc',
        prefix: '447700900123456',
        price: 0.004512,
        connector_ids: ids,
        enabled: false,
      }),
    ).toEqual([]);
    expect(await fieldsOf(CreateSmsRouteDto, { project_id: null, prefix: '1', price: null, connector_ids: ['conn_a'] })).toEqual([]);
  });

  it('name each bad field', async () => {
    expect(await fieldsOf(CreateSmsRouteDto, {})).toEqual(['prefix', 'connector_ids']);
    for (const prefix of ['+44', '4477009001234567', '44 77', 44])
      expect(await fieldsOf(CreateSmsRouteDto, { prefix, connector_ids: ids })).toEqual(['prefix']);
    for (const price of [-0.01, 0.0000001, '0.01', 1e6])
      expect(await fieldsOf(CreateSmsRouteDto, { prefix: '', price, connector_ids: ids })).toEqual(['price']);
    for (const connectorIds of [[], ['conn_a', 'conn_a'], Array.from({ length: 11 }, (_, i) => `conn_${i}`), [7], 'conn_a'])
      expect(await fieldsOf(CreateSmsRouteDto, { prefix: '', connector_ids: connectorIds })).toEqual(['connector_ids']);
    expect(await fieldsOf(CreateSmsRouteDto, { project_id: 'proj_1', prefix: '', connector_ids: ids })).toEqual(['project_id']);
  });

  it('a patch may clear project_id and price but not prefix, connector_ids or enabled', async () => {
    expect(await fieldsOf(UpdateSmsRouteDto, { project_id: null, price: null })).toEqual([]);
    expect(await fieldsOf(UpdateSmsRouteDto, { prefix: null, connector_ids: null, enabled: null })).toEqual([
      'prefix',
      'connector_ids',
      'enabled',
    ]);
  });

  it('the list filters by project id', async () => {
    expect(await fieldsOf(ListSmsRoutesQueryDto, { project_id: 'prj_abc', limit: '5' })).toEqual([]);
    expect(await fieldsOf(ListSmsRoutesQueryDto, { project_id: 'abc' })).toEqual(['project_id']);
  });
});
