import { canTransition, isTerminal, MESSAGE_STATUSES } from './status';

describe('message status rules', () => {
  it('moves forward along queued -> sending -> sent -> delivered', () => {
    expect(canTransition('queued', 'sending')).toBe(true);
    expect(canTransition('sending', 'sent')).toBe(true);
    expect(canTransition('sent', 'delivered')).toBe(true);
    expect(canTransition('queued', 'delivered')).toBe(true);
  });

  it('never moves backwards or repeats', () => {
    expect(canTransition('sent', 'sending')).toBe(false);
    expect(canTransition('sent', 'sent')).toBe(false);
    expect(canTransition('delivered', 'sent')).toBe(false);
  });

  it('never overwrites a terminal status', () => {
    const terminal = MESSAGE_STATUSES.filter(isTerminal);
    expect(terminal.sort()).toEqual(['delivered', 'failed', 'received', 'undelivered']);
    for (const from of terminal) for (const to of MESSAGE_STATUSES) expect(canTransition(from, to)).toBe(false);
  });
});
