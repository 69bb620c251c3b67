import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { fieldErrorsOf } from '@gw/errors';
import { CreateErasureDto } from './dto/erasure.dto';
import { MAX_RETENTION_DAYS, RetentionDto } from './dto/retention.dto';
import { phoneSha256 } from './privacy.usecases';

const fieldsOf = async (cls: new () => object, body: unknown) =>
  fieldErrorsOf(await validate(plainToInstance(cls, body) as object, { whitelist: true, forbidNonWhitelisted: true })).map((f) => f.field);

describe('retention body', () => {
  it('takes whole days from 1 to the maximum, null or nothing (kept forever)', async () => {
    expect(await fieldsOf(RetentionDto, { message_body_days: 30, call_timeline_days: null, recording_days: MAX_RETENTION_DAYS })).toEqual(
      [],
    );
    expect(await fieldsOf(RetentionDto, {})).toEqual([]);
  });

  it('names each bad period: zero, fractions, strings, too long, unknown fields', async () => {
    expect(await fieldsOf(RetentionDto, { message_body_days: 0, call_timeline_days: 1.5, recording_days: '30', keep: true })).toEqual([
      'keep',
      'message_body_days',
      'call_timeline_days',
      'recording_days',
    ]);
    expect(await fieldsOf(RetentionDto, { recording_days: MAX_RETENTION_DAYS + 1 })).toEqual(['recording_days']);
  });
});

describe('erasure body', () => {
  it('needs the phone in E.164', async () => {
    expect(await fieldsOf(CreateErasureDto, { phone: '+14155550100' })).toEqual([]);
    expect(await fieldsOf(CreateErasureDto, { phone: '4155550100' })).toEqual(['phone']);
    expect(await fieldsOf(CreateErasureDto, {})).toEqual(['phone']);
  });
});

describe('phoneSha256', () => {
  it('is the hex SHA-256 of "<project id>:<phone>", so it differs between projects', () => {
    expect(phoneSha256('prj_a', '+14155550100')).toBe('79a0ea8a602967b1d68b5bff8310a4cb003e16c1ac9a97c23b8e3e32a293679d');
    expect(phoneSha256('prj_b', '+14155550100')).not.toBe(phoneSha256('prj_a', '+14155550100'));
  });
});
