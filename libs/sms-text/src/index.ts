export { analyzeText, SEGMENT_LIMITS } from './segments';
export type { SmsEncoding, TextAnalysis } from './segments';
export { encodeUcs2Hex } from './ucs2';
export { isAlphanumericSenderId, isE164, normalizeE164, withPlus } from './addresses';
export { decodeGsm7, encodeGsm7, decodeUcs2, encodeUcs2 } from './codec';
