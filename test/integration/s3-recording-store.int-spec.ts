import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { RecordingNotFoundError, recordingStoreFrom } from '@gw/recordings';

async function read(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** The S3 recording store against the stack's S3-compatible server (infra/stack.sh up s3). */
describe('S3 recording store on an S3-compatible server', () => {
  const bucket = `it-${randomBytes(4).toString('hex')}`;
  const endpoint = process.env.S3_ENDPOINT!;
  const store = recordingStoreFrom({
    RECORDINGS_STORE: 's3',
    RECORDINGS_DIR: '/unused',
    RECORDINGS_S3_BUCKET: bucket,
    RECORDINGS_S3_REGION: 'us-east-1',
    RECORDINGS_S3_ENDPOINT: endpoint,
    RECORDINGS_S3_ACCESS_KEY_ID: 'test',
    RECORDINGS_S3_SECRET_ACCESS_KEY: 'test',
  });

  beforeAll(async () => {
    const s3 = new S3Client({
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    s3.destroy();
  });

  it('stores a recording and streams it back with its size', async () => {
    const wav = Buffer.concat([Buffer.from('RIFF'), randomBytes(1000)]);
    await store.put('prj_a/call_b/rec_c.wav', wav, 'audio/wav');
    const got = await store.get('prj_a/call_b/rec_c.wav');
    expect(got.size).toBe(wav.length);
    expect((await read(got.stream)).equals(wav)).toBe(true);
  });

  it('deletes a recording; deleting a missing one succeeds, so a retried deletion is safe', async () => {
    await store.put('prj_a/call_b/rec_del.wav', Buffer.from('RIFF....'), 'audio/wav');
    await store.delete('prj_a/call_b/rec_del.wav');
    await expect(store.get('prj_a/call_b/rec_del.wav')).rejects.toBeInstanceOf(RecordingNotFoundError);
    await expect(store.delete('prj_a/call_b/rec_del.wav')).resolves.toBeUndefined();
  });

  it('reports a missing recording as not found', async () => {
    await expect(store.get('prj_a/none.wav')).rejects.toBeInstanceOf(RecordingNotFoundError);
  });

  it('refuses an S3 configuration without a bucket, naming the setting', () => {
    expect(() => recordingStoreFrom({ RECORDINGS_STORE: 's3', RECORDINGS_DIR: '/x', RECORDINGS_S3_REGION: 'us-east-1' })).toThrow(
      /RECORDINGS_S3_BUCKET/,
    );
  });
});
