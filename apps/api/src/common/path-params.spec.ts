import { DomainError } from '@gw/errors';
import { PATH_PARAMS, PathParamsPipe } from './path-params';

describe('PathParamsPipe', () => {
  const pipe = new PathParamsPipe();
  const param = (name: string, value: unknown) => pipe.transform(value, { type: 'param', data: name });
  const failure = (name: string, value: unknown) => {
    try {
      param(name, value);
    } catch (err) {
      return err;
    }
    throw new Error(`${name}=${String(value)} passed`);
  };

  it('passes ids of the parameter kind and leaves unknown names, queries and bodies alone', () => {
    expect(param('callId', 'call_3kT9aQ2xY7bN5mP1cR8dV4wZ')).toBe('call_3kT9aQ2xY7bN5mP1cR8dV4wZ');
    expect(param('version', '2147483647')).toBe('2147483647');
    expect(param('senderId', 'ACME Bank')).toBe('ACME Bank');
    expect(pipe.transform('x', { type: 'query', data: 'callId' })).toBe('x');
    expect(pipe.transform({ callId: 'x' }, { type: 'body' })).toEqual({ callId: 'x' });
  });

  it.each([
    ['callId', 'msg_3kT9aQ2xY7bN5mP1cR8dV4wZ'],
    ['messageId', 'msg_'],
    ['projectId', 'prj_a-b'],
    ['flowId', `flw_${'a'.repeat(65)}`],
    ['version', '0'],
    ['version', '01'],
    ['version', '1.5'],
    ['version', '2147483648'],
  ])('refuses %s=%s with a 400 naming it', (name, value) => {
    const err = failure(name, value) as DomainError;
    expect(err).toBeInstanceOf(DomainError);
    expect(err.fields).toEqual([{ field: name, message: PATH_PARAMS[name].message }]);
  });

  it('documents what it checks', () => {
    expect(new RegExp(PATH_PARAMS.recordingId.schema.pattern!).test('rec_1')).toBe(true);
    expect(PATH_PARAMS.version.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 2147483647 });
  });
});
