import { CALL_STATUSES } from './state-machine';
import { canTransitionCall, isTerminalCall, q850Name, unansweredStatusFor } from './status';

describe('call status rules', () => {
  it('moves forward queued -> initiated -> ringing -> in-progress -> completed', () => {
    expect(canTransitionCall('queued', 'initiated')).toBe(true);
    expect(canTransitionCall('initiated', 'ringing')).toBe(true);
    expect(canTransitionCall('ringing', 'in-progress')).toBe(true);
    expect(canTransitionCall('in-progress', 'completed')).toBe(true);
    expect(canTransitionCall('ringing', 'busy')).toBe(true);
  });

  it('never regresses nor leaves a terminal status', () => {
    expect(canTransitionCall('in-progress', 'ringing')).toBe(false);
    for (const t of CALL_STATUSES.filter(isTerminalCall)) for (const s of CALL_STATUSES) expect(canTransitionCall(t, s)).toBe(false);
  });

  it('maps Q.850 causes of unanswered calls', () => {
    expect(unansweredStatusFor(17)).toBe('busy');
    expect(unansweredStatusFor(19)).toBe('no-answer');
    expect(unansweredStatusFor(21)).toBe('failed');
  });

  it('names Q.850 causes as Asterisk does', () => {
    expect(q850Name(16)).toBe('NORMAL_CLEARING');
    expect(q850Name(17)).toBe('USER_BUSY');
    expect(q850Name(21)).toBe('CALL_REJECTED');
    expect(q850Name(999)).toBe('CAUSE_999');
  });
});
