export { LocalRecordingStore, RecordingNotFoundError } from './recording-store';
export type { RecordingStore } from './recording-store';
export { S3RecordingStore } from './s3-recording-store';
export type { S3StoreOptions } from './s3-recording-store';
export { recordingStoreFrom } from './store-from-env';
export type { RecordingStoreConfig } from './store-from-env';
