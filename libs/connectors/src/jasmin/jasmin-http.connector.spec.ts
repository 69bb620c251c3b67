import { PermanentError } from '@gw/queues';
import { NotSubmittedError } from '../carrier';
import { classifyJasminResponse, jasminSendForm } from './jasmin-http.connector';

const creds = { username: 'gw', password: 'pw' };
const req = {
  messageId: 'msg_1',
  to: '+14155550100',
  from: 'ACME',
  body: 'hi',
  encoding: 'GSM-7' as const,
  validityPeriodS: null,
  dlrUrl: 'http://127.0.0.1/dlr?msg=msg_1&token=t',
};

describe('jasminSendForm', () => {
  it('sends GSM-7 text as content with coding 0 and asks for level-3 DLRs by POST', () => {
    const f = jasminSendForm(creds, req);
    expect(f.get('coding')).toBe('0');
    expect(f.get('content')).toBe('hi');
    expect(f.has('hex-content')).toBe(false);
    expect(f.get('dlr')).toBe('yes');
    expect(f.get('dlr-level')).toBe('3');
    expect(f.get('dlr-method')).toBe('POST');
    expect(f.get('dlr-url')).toBe(req.dlrUrl);
  });

  it('sends UCS-2 as UTF-16BE hex-content with coding 8', () => {
    const f = jasminSendForm(creds, { ...req, body: 'Привет 😀', encoding: 'UCS-2' });
    expect(f.get('coding')).toBe('8');
    expect(f.has('content')).toBe(false);
    expect(Buffer.from(f.get('hex-content')!, 'hex').swap16().toString('utf16le')).toBe('Привет 😀');
  });

  it('converts the validity period from seconds to whole minutes, rounding up', () => {
    expect(jasminSendForm(creds, { ...req, validityPeriodS: 90 }).get('validity-period')).toBe('2');
    expect(jasminSendForm(creds, req).has('validity-period')).toBe(false);
  });
});

describe('classifyJasminResponse', () => {
  it('reports 5xx and throughput throttling as not submitted (retryable, on any connector)', () => {
    expect(classifyJasminResponse(500, 'Error "Cannot send submit_sm"')).toBeInstanceOf(NotSubmittedError);
    expect(classifyJasminResponse(503, 'Error "interceptor"')).toBeInstanceOf(NotSubmittedError);
    expect(classifyJasminResponse(403, 'Error "User throughput exceeded"')).toBeInstanceOf(NotSubmittedError);
  });

  it('treats other 4xx as permanent and keeps the status in the code', () => {
    const e = classifyJasminResponse(412, 'Error "No route found"');
    expect(e).toBeInstanceOf(PermanentError);
    expect((e as PermanentError).code).toBe('jasmin_412');
    expect(classifyJasminResponse(400, 'Error "Argument [to] has an invalid value"')).toBeInstanceOf(PermanentError);
    expect(classifyJasminResponse(403, 'Error "Authentication failure for username:gw"')).toBeInstanceOf(PermanentError);
  });
});
