import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mediaDurationMs } from './sim/media';
import { RecordingStore } from './sim/recording-store';
import { DEFAULT_MEDIA } from './sim/scenarios';

describe('media durations', () => {
  const media = { ...DEFAULT_MEDIA, sounds: { 'hello-world': 1500, gone: null } };
  const recordings = (name: string): number | null => (name === 'msg' ? 3000 : null);

  it.each([
    ['sound:hello-world', 1500],
    ['sound:anything-else', 1000],
    ['sound:gone', null],
    ['recording:msg', 3000],
    ['recording:none', null],
    ['digits:1234', 1200],
    ['characters:abc', 900],
    ['number:-42', 600],
    ['number:abc', null],
    ['tone:ring', Number.POSITIVE_INFINITY],
    ['https://example.com/a.wav', 2000],
    ['file:///tmp/a.wav', 2000],
    ['ftp://x', null],
  ])('%s plays %p ms', (uri, ms) => {
    expect(mediaDurationMs(uri, media, recordings)).toBe(ms);
  });

  it('skips offsetms of sounds and recordings', () => {
    expect(mediaDurationMs('sound:hello-world', media, recordings, 500)).toBe(1000);
    expect(mediaDurationMs('recording:msg', media, recordings, 5000)).toBe(0);
  });
});

describe('recording store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ari-sim-store-'));
  const store = new RecordingStore(dir);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a mono 16-bit 8 kHz WAV of the given length and reads it back', () => {
    store.write('a/b', 'wav', 1250);
    const file = store.read('a/b');
    expect(file?.contentType).toBe('audio/wav');
    const buf = file?.data as Buffer;
    expect(buf.subarray(0, 4).toString('ascii')).toBe('RIFF');
    expect(buf.readUInt16LE(22)).toBe(1);
    expect(buf.readUInt32LE(24)).toBe(8000);
    expect(buf.readUInt16LE(34)).toBe(16);
    expect(buf.readUInt32LE(40)).toBe(1250 * 16);
    expect(store.lengthMs('a/b')).toBe(1250);
    expect(readFileSync(join(store.dir, 'a', 'b.wav')).length).toBe(44 + 20000);
  });

  it('appends, lists, deletes; raw formats hold their silence byte', () => {
    store.write('c', 'ulaw', 100);
    store.write('c', 'ulaw', 100, true);
    expect(store.lengthMs('c')).toBe(200);
    expect(store.read('c')?.data[0]).toBe(0xff);
    expect(store.list()).toEqual(
      expect.arrayContaining([
        { name: 'a/b', format: 'wav' },
        { name: 'c', format: 'ulaw' },
      ]),
    );
    expect(store.delete('c')).toBe(true);
    expect(store.delete('c')).toBe(false);
    expect(store.find('c')).toBeNull();
  });

  it.each(['', '../x', '/abs', 'a//b', 'a\\b'])('refuses the name %p', (name) => {
    expect(RecordingStore.validName(name)).toBe(false);
  });
});
