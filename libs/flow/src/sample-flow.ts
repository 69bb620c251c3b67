import type { Flow } from './types';

/**
 * A small IVR for demos and tests: greet, offer a menu (1 = leave a message, 2 = hear the
 * menu again), record a message, say goodbye, hang up. Invalid keys get an apology and the
 * menu again; silence goes straight to goodbye. Frozen: copy before editing.
 */
export const SAMPLE_FLOW: Flow = freeze({
  version: 1,
  steps: [
    { verb: 'say', text: 'Welcome to the gateway demo.', voice: 'en-us' },
    {
      verb: 'gather',
      label: 'menu',
      input: ['digits'],
      numDigits: 1,
      timeout: 5,
      prompt: { verb: 'say', text: 'Press 1 to leave a message. Press 2 to hear this menu again.', voice: 'en-us' },
      branches: { '1': 'voicemail', '2': 'menu' },
      default: 'invalid',
      onTimeout: 'goodbye',
    },
    { verb: 'say', label: 'invalid', text: 'Sorry, that is not a valid choice.', next: 'menu' },
    { verb: 'say', label: 'voicemail', text: 'Leave a message after the beep. Press the pound key when you are done.' },
    { verb: 'record', maxLength: 120, finishOnKey: '#', beep: true },
    { verb: 'say', label: 'goodbye', text: 'Thank you. Goodbye.' },
    { verb: 'hangup', reason: 'normal' },
  ],
});

function freeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) freeze(v);
    Object.freeze(value);
  }
  return value;
}
