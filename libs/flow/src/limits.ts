/**
 * Defaults and bounds of the DSL, in the DSL's units (seconds, counts). The verb modules'
 * schema fragments and command builders both read them from here, so the published schema
 * states the same numbers the interpreter applies.
 */
export const LIMITS = {
  steps: { min: 1, max: 500 },
  label: { pattern: '^[a-z][a-z0-9_-]{0,63}$' },
  url: { maxLength: 2048 },
  say: { textMin: 1, textMax: 3000 },
  loop: { min: 1, max: 10, default: 1 },
  /** Gather prompts may also use 0: repeat until a key is pressed or the gather times out. */
  promptLoop: { min: 0, max: 10 },
  digits: { min: 1, max: 64 },
  gather: { minDigitsDefault: 1, maxDigitsDefault: 20, finishOnKeyDefault: '#', timeoutDefault: 5, timeoutMin: 1, timeoutMax: 120 },
  dial: { timeoutDefault: 30, timeoutMin: 1, timeoutMax: 600, timeLimitMin: 1, timeLimitMax: 14400 },
  record: { maxLengthDefault: 60, maxLengthMin: 1, maxLengthMax: 3600, finishOnKeyDefault: '#', beepDefault: true },
  pause: { min: 1, max: 600 },
  fetch: { timeoutDefault: 5, timeoutMin: 1, timeoutMax: 30, methodDefault: 'POST' },
} as const;

/** Commands a call may be sent before the interpreter hangs up (`step_budget`); see `StartOptions.maxCommands`. */
export const DEFAULT_MAX_COMMANDS = 1000;

/** DTMF keys a caller can press (`A`-`D` exist on some phones; branch keys use only `0-9*#`). */
export const DTMF_KEY = /^[0-9*#A-D]$/;
