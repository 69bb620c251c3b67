import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalRecordingStore, RecordingNotFoundError } from './recording-store';

async function read(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('LocalRecordingStore', () => {
  const store = new LocalRecordingStore(mkdtempSync(join(tmpdir(), 'rec-')));

  it('stores and returns the bytes', async () => {
    await store.put('prj_a/call_b/rec_c.wav', Buffer.from('RIFF....'), 'audio/wav');
    const got = await store.get('prj_a/call_b/rec_c.wav');
    expect(got.size).toBe(8);
    expect((await read(got.stream)).toString()).toBe('RIFF....');
  });

  it('deletes a recording, and deleting it again (or a key outside the folder) succeeds', async () => {
    await store.put('prj_a/call_b/rec_d.wav', Buffer.from('RIFF'), 'audio/wav');
    await store.delete('prj_a/call_b/rec_d.wav');
    await expect(store.get('prj_a/call_b/rec_d.wav')).rejects.toBeInstanceOf(RecordingNotFoundError);
    await expect(store.delete('prj_a/call_b/rec_d.wav')).resolves.toBeUndefined();
    await expect(store.delete('../etc/passwd')).resolves.toBeUndefined();
  });

  it('refuses keys that leave the folder and reports missing ones', async () => {
    await expect(store.get('../etc/passwd')).rejects.toBeInstanceOf(RecordingNotFoundError);
    await expect(store.get('prj_a/none.wav')).rejects.toBeInstanceOf(RecordingNotFoundError);
  });
});
