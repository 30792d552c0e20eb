// Writes notebooks atomically (temp file + rename), and a throttled saver for notebooks being run.
import { open, rename, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { serializeNotebookPieces } from './serialize-notebook.js';
import type { Notebook } from './types.js';

/** Pieces are gathered up to this size before one write: few syscalls, one small buffer. */
const WRITE_BUFFER = 1 << 20;

/**
 * Writes `nb` to `path` as nbformat does, through a temp file in the same directory and a rename,
 * so a reader never sees half a notebook. The JSON is produced and written in pieces: a large
 * notebook is never held as one string.
 */
export async function writeNotebookAtomic(path: string, nb: Notebook): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  const fh = await open(tmp, 'w');
  try {
    let buf: string[] = [];
    let size = 0;
    for (const piece of serializeNotebookPieces(nb)) {
      buf.push(piece);
      size += piece.length;
      if (size >= WRITE_BUFFER) {
        await fh.write(buf.join(''));
        buf = [];
        size = 0;
      }
    }
    if (buf.length > 0) await fh.write(buf.join(''));
    await fh.close();
    await rename(tmp, path);
  } catch (err) {
    await fh.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    throw err;
  }
}

export interface NotebookSaverOptions {
  /** At most one write per this many milliseconds. @default 1000 */
  intervalMs?: number;
  /** Called when a background save fails; the next save tries again. @default ignore */
  onError?: (err: unknown) => void;
  /** The write itself; tests replace it. @default writeNotebookAtomic */
  write?: (path: string, nb: Notebook) => Promise<void>;
}

export interface NotebookSaver {
  /** Asks for a save soon; calls within one interval coalesce into one write. */
  schedule(): void;
  /** Writes the notebook now (after any write in progress), replacing a pending save. Throws if it fails. */
  flush(): Promise<void>;
}

/**
 * Saves a notebook that is being run: `schedule()` after every change, `flush()` at the end.
 * Writes never overlap, and there is at most one per interval.
 */
export function createNotebookSaver(path: string, getNotebook: () => Notebook, options: NotebookSaverOptions = {}): NotebookSaver {
  const { intervalMs = 1000, onError = () => {}, write = writeNotebookAtomic } = options;
  let dirty = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writing: Promise<void> | undefined;
  let lastStart = -Infinity;

  const arm = () => {
    if (timer || writing || !dirty) return;
    const wait = Math.max(0, lastStart + intervalMs - Date.now());
    timer = setTimeout(tick, wait);
  };
  const tick = () => {
    timer = undefined;
    if (!dirty || writing) return; // a write in progress re-arms when it ends
    dirty = false;
    lastStart = Date.now();
    writing = write(path, getNotebook())
      .catch((err: unknown) => {
        dirty = true; // try again at the next interval
        onError(err);
      })
      .finally(() => {
        writing = undefined;
        arm();
      });
  };

  return {
    schedule() {
      dirty = true;
      arm();
    },
    async flush() {
      while (writing) await writing;
      if (timer) clearTimeout(timer);
      timer = undefined;
      dirty = false;
      lastStart = Date.now();
      const final = write(path, getNotebook());
      // Tracked like any write, so that a schedule() meanwhile waits for it instead of overlapping.
      writing = final.then(
        () => {},
        () => {},
      );
      try {
        await final;
      } finally {
        writing = undefined;
        arm();
      }
    },
  };
}
