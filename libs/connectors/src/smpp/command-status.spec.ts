import { PermanentError, RetryableError } from '@gw/queues';
import { NotSubmittedError } from '../carrier';
import { classifySubmitStatus, describeStatus } from './command-status';

describe('classifySubmitStatus (SMPP 3.4 section 5.1.3)', () => {
  it.each([
    [0x58, 'ESME_RTHROTTLED'],
    [0x14, 'ESME_RMSGQFUL'],
  ])('0x%s is not submitted, retryable after the pause', (status, name) => {
    const err = classifySubmitStatus(status, 1000);
    expect(err).toBeInstanceOf(NotSubmittedError);
    expect(err).toBeInstanceOf(RetryableError);
    expect((err as NotSubmittedError).retryAfterMs).toBe(1000);
    expect(err.message).toContain(name);
  });

  it.each([
    [0x0b, 'smpp_0x0b', 'ESME_RINVDSTADR'],
    [0x0a, 'smpp_0x0a', 'ESME_RINVSRCADR'],
    [0x45, 'smpp_0x45', 'ESME_RSUBMITFAIL'],
    [0x08, 'smpp_0x08', 'ESME_RSYSERR'],
    [0x400, 'smpp_0x400', 'vendor specific'],
  ])('0x%s is permanent with code %s naming %s', (status, code, words) => {
    const err = classifySubmitStatus(status, 1000);
    expect(err).toBeInstanceOf(PermanentError);
    expect(err).not.toBeInstanceOf(RetryableError);
    expect((err as PermanentError).code).toBe(code);
    expect(err.message).toContain(words);
  });

  it('describes reserved values without a name', () => {
    expect(describeStatus(0x09)).toBe('0x09 (reserved)');
  });
});
