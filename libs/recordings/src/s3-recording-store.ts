import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { RecordingNotFoundError, RecordingStore } from './recording-store';

/** An S3-compatible bucket: AWS S3, MinIO, Ceph RGW... `endpoint` null means AWS itself. */
export interface S3StoreOptions {
  bucket: string;
  region: string;
  endpoint: string | null;
  /** Path-style URLs (`endpoint/bucket/key`), which most S3-compatible servers need. */
  forcePathStyle: boolean;
  accessKeyId: string;
  secretAccessKey: string;
  /** Bound on every request, ms. */
  timeoutMs: number;
}

/** Recording store on an S3-compatible bucket through the AWS SDK (v3). */
export class S3RecordingStore implements RecordingStore {
  private readonly s3: S3Client;

  constructor(private readonly opts: S3StoreOptions) {
    this.s3 = new S3Client({
      region: opts.region,
      endpoint: opts.endpoint ?? undefined,
      forcePathStyle: opts.forcePathStyle,
      credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey },
      requestHandler: { requestTimeout: opts.timeoutMs, connectionTimeout: opts.timeoutMs },
    });
  }

  async put(key: string, data: Buffer, contentType: string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.opts.bucket, Key: key, Body: data, ContentType: contentType }));
  }

  async get(key: string): Promise<{ stream: Readable; size: number }> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.opts.bucket, Key: key }));
      return { stream: out.Body as Readable, size: Number(out.ContentLength ?? 0) };
    } catch (err) {
      if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchKey')
        throw new RecordingNotFoundError('recording not found');
      throw err;
    }
  }

  /** S3 DeleteObject answers 204 whether or not the key existed (Amazon S3 API Reference, DeleteObject). */
  async delete(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.opts.bucket, Key: key }));
  }
}
