// A lock file holding its process's pid and host: taken with O_EXCL, taken over when the process
// that held it is gone (same host, pid dead), refused while it lives. Shared by `flow schedule`'s
// fire history and `flow resume`.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { processIsAlive } from './process-alive.js';

export interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

/**
 * Creates `file` holding this process; when a live process holds it, throws what `refused`
 * makes of that holder. A lock from another host cannot be checked, and counts as live.
 */
export function takePidLock(file: string, refused: (holder: LockHolder) => Error): void {
  for (let tries = 0; tries < 2; tries++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
      closeSync(fd);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let holder: Partial<LockHolder> = {};
    try {
      holder = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    } catch {
      // half-written by a process that died at once: stale
    }
    if (holder.pid !== undefined && (holder.host !== hostname() || processIsAlive(holder.pid))) {
      throw refused({ pid: holder.pid, host: holder.host ?? '?', since: holder.since ?? '?' });
    }
    unlinkSync(file);
  }
  throw refused({ pid: -1, host: hostname(), since: '?' });
}

/** Removes `file` if this process holds it. */
export function releasePidLock(file: string): void {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as { pid?: number };
    if (holder.pid === process.pid) unlinkSync(file);
  } catch {
    // already gone
  }
}
