import { createReadStream } from 'node:fs';
import { mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';

/** Where call recordings live. Keys are relative paths such as `prj_x/call_y/rec_z.wav`. */
export interface RecordingStore {
  /** Stores `data` under `key`; resolves once it is durable. */
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  /** A stream of the stored bytes. @throws RecordingNotFoundError */
  get(key: string): Promise<{ stream: Readable; size: number }>;
  /** Deletes the recording under `key`; resolves once it is gone, also when there was none (so a retry is safe). */
  delete(key: string): Promise<void>;
}

/** No recording under that key. */
export class RecordingNotFoundError extends Error {}

/**
 * Recording store on a local (or mounted) folder. Writes go to a temp file then rename, so a
 * reader never sees half a file; keys cannot escape the folder.
 */
export class LocalRecordingStore implements RecordingStore {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private path(key: string): string {
    const p = resolve(join(this.root, key));
    if (!p.startsWith(this.root + sep)) throw new RecordingNotFoundError(`invalid recording key`);
    return p;
  }

  async put(key: string, data: Buffer, _contentType: string): Promise<void> {
    const p = this.path(key);
    await mkdir(dirname(p), { recursive: true });
    const tmp = `${p}.part`;
    await writeFile(tmp, data);
    await rename(tmp, p);
  }

  async get(key: string): Promise<{ stream: Readable; size: number }> {
    const p = this.path(key);
    try {
      const s = await stat(p);
      return { stream: createReadStream(p), size: s.size };
    } catch {
      throw new RecordingNotFoundError(`recording not found`);
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.path(key));
    } catch (err) {
      // Nothing to delete: no file, or a key outside the folder (never stored).
      if (err instanceof RecordingNotFoundError || (err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
  }
}
