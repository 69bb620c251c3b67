import { LocalRecordingStore, RecordingStore } from './recording-store';
import { S3RecordingStore } from './s3-recording-store';

/** Recording store settings as the apps' configs carry them. */
export interface RecordingStoreConfig {
  RECORDINGS_STORE: 'local' | 's3';
  RECORDINGS_DIR: string;
  RECORDINGS_S3_BUCKET?: string;
  RECORDINGS_S3_REGION: string;
  RECORDINGS_S3_ENDPOINT?: string;
  RECORDINGS_S3_ACCESS_KEY_ID?: string;
  RECORDINGS_S3_SECRET_ACCESS_KEY?: string;
}

/**
 * The configured store: a local (or mounted) folder by default, an S3-compatible bucket with
 * `RECORDINGS_STORE=s3`. @throws Error naming the missing S3 setting.
 */
export function recordingStoreFrom(c: RecordingStoreConfig): RecordingStore {
  if (c.RECORDINGS_STORE === 'local') return new LocalRecordingStore(c.RECORDINGS_DIR);
  for (const k of ['RECORDINGS_S3_BUCKET', 'RECORDINGS_S3_ACCESS_KEY_ID', 'RECORDINGS_S3_SECRET_ACCESS_KEY'] as const) {
    if (!c[k]) throw new Error(`${k} is required with RECORDINGS_STORE=s3`);
  }
  return new S3RecordingStore({
    bucket: c.RECORDINGS_S3_BUCKET!,
    region: c.RECORDINGS_S3_REGION,
    endpoint: c.RECORDINGS_S3_ENDPOINT ?? null,
    forcePathStyle: Boolean(c.RECORDINGS_S3_ENDPOINT),
    accessKeyId: c.RECORDINGS_S3_ACCESS_KEY_ID!,
    secretAccessKey: c.RECORDINGS_S3_SECRET_ACCESS_KEY!,
    timeoutMs: 10000,
  });
}
