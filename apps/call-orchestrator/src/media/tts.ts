import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, rename, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Rendered speech: an ARI media URI Asterisk can play and its length in ms. */
export interface Speech {
  mediaUri: string;
  durationMs: number;
}

/** Text to speech. Implementations cache by (text, voice). */
export interface TtsEngine {
  synthesize(text: string, voice: string): Promise<Speech>;
}

/** 8 kHz, 16-bit, mono: 16 000 bytes of PCM per second after the 44-byte WAV header. */
const BYTES_PER_SECOND = 16000;
const WAV_HEADER = 44;
/** Rendered texts remembered in memory (oldest forgotten first); the files stay cached on disk. */
const MAX_REMEMBERED = 10000;

/**
 * TTS with espeak-ng (Debian `espeak-ng`), resampled by sox to 8 kHz 16-bit mono WAV, the format
 * Asterisk plays natively. Files are cached under `cacheDir` by SHA-256 of (voice, text) and played as
 * `sound:<cacheDir>/<hash>` (Asterisk adds the extension). Concurrent requests for the same text share
 * one rendering. Rendering is bounded by `timeoutMs`.
 */
export class EspeakTts implements TtsEngine {
  private readonly dir: string;
  private readonly inFlight = new Map<string, Promise<Speech>>();
  private readonly rendered = new Map<string, Speech>();

  constructor(
    cacheDir: string,
    private readonly timeoutMs = 10000,
  ) {
    this.dir = resolve(cacheDir);
  }

  synthesize(text: string, voice: string): Promise<Speech> {
    const key = createHash('sha256').update(voice).update('\0').update(text).digest('hex').slice(0, 32);
    const known = this.rendered.get(key);
    if (known) return Promise.resolve(known);
    let p = this.inFlight.get(key);
    if (!p) {
      p = this.render(key, text, voice).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, p);
    }
    return p;
  }

  private async render(key: string, text: string, voice: string): Promise<Speech> {
    const base = join(this.dir, key);
    const wav = `${base}.wav`;
    const cached = await stat(wav).catch(() => null);
    if (!cached) {
      await mkdir(this.dir, { recursive: true });
      const raw = `${base}.raw.wav`;
      const tmp = `${base}.tmp.wav`;
      await run('espeak-ng', ['-v', voice, '-w', raw, '--', text], { timeout: this.timeoutMs });
      await run('sox', [raw, '-r', '8000', '-c', '1', '-b', '16', tmp], { timeout: this.timeoutMs });
      await rename(tmp, wav);
    }
    const size = (await stat(wav)).size;
    const speech = { mediaUri: `sound:${base}`, durationMs: Math.round(((size - WAV_HEADER) / BYTES_PER_SECOND) * 1000) };
    if (this.rendered.size >= MAX_REMEMBERED) this.rendered.delete(this.rendered.keys().next().value as string);
    this.rendered.set(key, speech);
    return speech;
  }
}
