export { LocalRecordingStore, RecordingNotFoundError } from './recording-store';
export type { RecordingStore } from './recording-store';
