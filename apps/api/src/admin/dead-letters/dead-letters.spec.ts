import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DomainError, ErrorCode, fieldErrorsOf } from '@gw/errors';
import { PATH_PARAMS } from '../../common/path-params';
import { deadLetterQueue, decodeOffsetCursor, encodeOffsetCursor, projectFilter, selectionOf } from './dead-letter-queues';
import { DeadLetterQueryDto, DeadLetterSelectionDto, MAX_DEAD_LETTER_IDS } from './dto/dead-letters.dto';

/** The fields the api's validation pipe names (same options: unknown fields refused). */
const fieldsOf = async (cls: new () => object, body: unknown) =>
  fieldErrorsOf(await validate(plainToInstance(cls, body) as object, { whitelist: true, forbidNonWhitelisted: true })).map((f) => f.field);

const EVENT_ID = '0b6f3c1e-9a52-4c1d-8f0e-2d7a5b9c4e31';
const MESSAGE_ID = 'msg_3kT9aQ2xY7bN5mP1cR8dV4wZ';

/** The error a call throws (the test fails when it does not throw). */
function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    return err as DomainError;
  }
  throw new Error('did not throw');
}

describe('dead-letter selection body', () => {
  it('takes message ids and event ids, or all: true with an optional project', async () => {
    expect(await fieldsOf(DeadLetterSelectionDto, { ids: [MESSAGE_ID, EVENT_ID] })).toEqual([]);
    expect(await fieldsOf(DeadLetterSelectionDto, { all: true, project_id: 'prj_abc' })).toEqual([]);
  });

  it('names each bad field: empty, repeated, malformed or too many ids, all other than true, a bad project, unknown fields', async () => {
    expect(await fieldsOf(DeadLetterSelectionDto, { ids: [] })).toEqual(['ids']);
    expect(await fieldsOf(DeadLetterSelectionDto, { ids: [EVENT_ID, EVENT_ID] })).toEqual(['ids']);
    expect(await fieldsOf(DeadLetterSelectionDto, { ids: ['evt-1'] })).toEqual(['ids']);
    expect(await fieldsOf(DeadLetterSelectionDto, { ids: 'msg_1' })).toEqual(['ids']);
    const many = Array.from({ length: MAX_DEAD_LETTER_IDS + 1 }, (_, i) => `msg_${i}`);
    expect(await fieldsOf(DeadLetterSelectionDto, { ids: many })).toEqual(['ids']);
    expect(await fieldsOf(DeadLetterSelectionDto, { all: false })).toEqual(['all']);
    expect(await fieldsOf(DeadLetterSelectionDto, { all: 'true' })).toEqual(['all']);
    expect(await fieldsOf(DeadLetterSelectionDto, { all: true, project_id: 'prj-1' })).toEqual(['project_id']);
    expect(await fieldsOf(DeadLetterSelectionDto, { all: true, queue: 'callbacks' })).toEqual(['queue']);
  });

  it('is read as exactly one of ids and all, the project only with all', () => {
    expect(selectionOf({ ids: [EVENT_ID] })).toEqual({ ids: [EVENT_ID] });
    expect(selectionOf({ all: true })).toEqual({ all: true });
    expect(selectionOf({ all: true, project_id: 'prj_a' })).toEqual({ all: true, projectId: 'prj_a' });
    expect(thrown(() => selectionOf({})).fields).toEqual([{ field: 'ids', message: 'give ids or all: true' }]);
    expect(thrown(() => selectionOf({ ids: [EVENT_ID], all: true })).fields[0]!.field).toBe('ids');
    expect(thrown(() => selectionOf({ ids: [EVENT_ID], project_id: 'prj_a' })).fields[0]!.field).toBe('project_id');
  });
});

describe('dead-letter list query', () => {
  it('takes a page size, a cursor and a project id, naming a bad one', async () => {
    expect(await fieldsOf(DeadLetterQueryDto, { limit: '50', cursor: encodeOffsetCursor(20), project_id: 'prj_a' })).toEqual([]);
    expect(await fieldsOf(DeadLetterQueryDto, { limit: '0', project_id: 'a' })).toEqual(['project_id', 'limit']);
  });

  it('round-trips the list position through an opaque cursor and refuses a foreign one, naming cursor', () => {
    expect(decodeOffsetCursor(encodeOffsetCursor(0))).toBe(0);
    expect(decodeOffsetCursor(encodeOffsetCursor(4200))).toBe(4200);
    for (const foreign of [
      'abc',
      Buffer.from(JSON.stringify(['dlq', -1])).toString('base64url'),
      Buffer.from('["2024-01-01","x"]').toString('base64url'),
    ]) {
      expect(thrown(() => decodeOffsetCursor(foreign)).fields).toEqual([{ field: 'cursor', message: 'is not a cursor this API issued' }]);
    }
  });
});

describe('dead-letter queues', () => {
  it('knows sms-submit and callbacks, and answers not_found naming any other', () => {
    expect(deadLetterQueue('sms-submit')).toBe('sms-submit');
    expect(deadLetterQueue('callbacks')).toBe('callbacks');
    for (const name of ['callbacks.dlq', 'toString', 'usage']) {
      const err = thrown(() => deadLetterQueue(name));
      expect(err.code).toBe(ErrorCode.NotFound);
      expect(err.message).toContain(`'${name}'`);
    }
  });

  it('filters callbacks by the project in their data, and refuses the filter on sms-submit naming the field', () => {
    const filter = projectFilter('callbacks', 'prj_a')!;
    expect([{ project_id: 'prj_a' }, { project_id: 'prj_b' }, null, 'prj_a'].map(filter)).toEqual([true, false, false, false]);
    expect(projectFilter('callbacks', undefined)).toBeNull();
    expect(projectFilter('sms-submit', undefined)).toBeNull();
    expect(thrown(() => projectFilter('sms-submit', 'prj_a')).fields).toEqual([
      { field: 'project_id', message: 'sms-submit dead letters carry no project id' },
    ]);
  });

  it('checks the dead letter id path parameter: a message id or an event id', () => {
    const rule = PATH_PARAMS.deadLetterId!;
    expect([MESSAGE_ID, EVENT_ID, 'msg_', 'evt_1', `${EVENT_ID}x`, 'replay'].map(rule.valid)).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
    expect(new RegExp(rule.schema.pattern!).test(EVENT_ID)).toBe(true);
  });
});
