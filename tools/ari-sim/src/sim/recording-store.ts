/**
 * Stored recordings: real (silent) audio files under the recordings directory, named
 * `<dir>/<name>.<format>` as Asterisk stores them under astspooldir/recording. What
 * /recordings/stored lists is what is on disk.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

interface FormatSpec {
  /** Bytes of audio per millisecond. */
  bytesPerMs: number;
  /** Byte value of silence for raw formats; WAV formats hold 16-bit zero samples. */
  silence: number;
  /** Sample rate for WAV headers (Hz); undefined for raw formats. */
  wavRate?: number;
  contentType: string;
}

/** Formats the simulator can record (ARI `format` of POST /channels/{id}/record); others answer 422. */
export const FORMATS: Record<string, FormatSpec> = {
  wav: { bytesPerMs: 16, silence: 0, wavRate: 8000, contentType: 'audio/wav' },
  wav16: { bytesPerMs: 32, silence: 0, wavRate: 16000, contentType: 'audio/wav' },
  sln: { bytesPerMs: 16, silence: 0, contentType: 'audio/x-raw' },
  sln16: { bytesPerMs: 32, silence: 0, contentType: 'audio/x-raw' },
  ulaw: { bytesPerMs: 8, silence: 0xff, contentType: 'audio/basic' },
  alaw: { bytesPerMs: 8, silence: 0xd5, contentType: 'audio/x-alaw-basic' },
};

const WAV_HEADER = 44;

/** A stored recording as ARI's StoredRecording model: `{name, format}`. */
export interface StoredRecordingJson {
  name: string;
  format: string;
}

/** Files of stored recordings under one directory. */
export class RecordingStore {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** True for names Asterisk would accept: relative, no `..` segment, no NUL or backslash. */
  static validName(name: string): boolean {
    return name !== '' && !name.startsWith('/') && !/[\\\0]/.test(name) && !name.split('/').some((s) => s === '..' || s === '');
  }

  /** The stored recording of that name (first format found), or null. */
  find(name: string): (StoredRecordingJson & { path: string }) | null {
    if (!RecordingStore.validName(name)) return null;
    for (const format of Object.keys(FORMATS)) {
      const path = this.path(name, format);
      if (existsSync(path)) return { name, format, path };
    }
    return null;
  }

  /** All stored recordings, sorted by name. */
  list(): StoredRecordingJson[] {
    const out: StoredRecordingJson[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else {
          const dot = entry.name.lastIndexOf('.');
          const format = dot > 0 ? entry.name.slice(dot + 1) : '';
          if (!FORMATS[format]) continue;
          const rel = relative(this.dir, full).split(sep).join('/');
          out.push({ name: rel.slice(0, rel.length - format.length - 1), format });
        }
      }
    };
    walk(this.dir);
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Audio length in ms of a stored recording, or null if there is none. */
  lengthMs(name: string): number | null {
    const found = this.find(name);
    if (!found) return null;
    const spec = FORMATS[found.format] as FormatSpec;
    const size = statSync(found.path).size - (spec.wavRate ? WAV_HEADER : 0);
    return Math.max(0, Math.round(size / spec.bytesPerMs));
  }

  /**
   * Writes `ms` milliseconds of silence as `<name>.<format>`; with `append`, adds them to the
   * length of an existing file of that name and format.
   * @throws the fs error if the directory cannot be written.
   */
  write(name: string, format: string, ms: number, append = false): void {
    const spec = FORMATS[format];
    if (!spec) throw new Error(`unknown format ${format}`);
    const path = this.path(name, format);
    let totalMs = Math.max(0, Math.round(ms));
    if (append && existsSync(path)) totalMs += this.lengthMs(name) ?? 0;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, audio(spec, totalMs));
  }

  /** Deletes every format of that name; false if there was none. */
  delete(name: string): boolean {
    let deleted = false;
    if (!RecordingStore.validName(name)) return false;
    for (const format of Object.keys(FORMATS)) {
      const path = this.path(name, format);
      if (existsSync(path)) {
        rmSync(path);
        deleted = true;
      }
    }
    return deleted;
  }

  /** The file bytes and content type of a stored recording, or null. */
  read(name: string): { data: Buffer; contentType: string } | null {
    const found = this.find(name);
    if (!found) return null;
    return { data: readFileSync(found.path), contentType: (FORMATS[found.format] as FormatSpec).contentType };
  }

  private path(name: string, format: string): string {
    return join(this.dir, `${name}.${format}`);
  }
}

/** Silence of `ms` milliseconds in a format; WAV gets a canonical 44-byte PCM header (mono, 16-bit). */
function audio(spec: FormatSpec, ms: number): Buffer {
  const dataLen = ms * spec.bytesPerMs;
  if (!spec.wavRate) return Buffer.alloc(dataLen, spec.silence);
  const buf = Buffer.alloc(WAV_HEADER + dataLen);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + dataLen, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16); // PCM fmt chunk size
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(1, 22); // mono
  buf.writeUInt32LE(spec.wavRate, 24);
  buf.writeUInt32LE(spec.wavRate * 2, 28); // byte rate
  buf.writeUInt16LE(2, 32); // block align
  buf.writeUInt16LE(16, 34); // bits per sample
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(dataLen, 40);
  return buf;
}
