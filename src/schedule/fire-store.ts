// The scheduler's durable memory: every fire (trigger, logical time) it ever made, in SQLite, so
// that no trigger fires the same logical time twice, across restarts too; and a lock file, so
// that a second scheduler on the same store refuses to start.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { hostname } from 'node:os';
import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';
import { UsageError } from '../errors.js';
import { releasePidLock, takePidLock } from '../pid-lock.js';

/** What became of a fire time. */
export type FireState = 'started' | 'queued' | 'skipped' | 'finished' | 'crashed' | 'dropped';

export interface FireRow {
  workflow: string;
  trigger: string;
  logicalTime: string;
  kind: 'schedule' | 'catchup';
  state: FireState;
  firedAt: string;
  runId?: string;
  status?: string;
  finishedAt?: string;
  note?: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS fires (
  workflow TEXT NOT NULL,
  trigger TEXT NOT NULL,
  logical_time TEXT NOT NULL,
  kind TEXT NOT NULL,
  state TEXT NOT NULL,
  fired_at TEXT NOT NULL,
  run_id TEXT,
  status TEXT,
  finished_at TEXT,
  note TEXT,
  PRIMARY KEY (workflow, trigger, logical_time)
);
CREATE TABLE IF NOT EXISTS triggers (
  workflow TEXT NOT NULL,
  trigger TEXT NOT NULL,
  registered_at TEXT NOT NULL,
  PRIMARY KEY (workflow, trigger)
);
`;

export class FireStore {
  private constructor(
    private readonly db: Database.Database,
    private readonly lockFile: string | undefined,
  ) {}

  /**
   * Opens (or creates) the store at `path` and takes its lock; another live scheduler holding it
   * is a UsageError naming its pid. `lock: false` opens it to read only (`--status`).
   */
  static open(path: string, opts: { lock?: boolean } = {}): FireStore {
    if (opts.lock !== false) mkdirSync(dirname(path), { recursive: true });
    const lockFile = opts.lock === false ? undefined : takeLock(`${path}.lock`);
    try {
      // Loaded here: a library user who never schedules never loads the native module.
      const Sqlite = createRequire(import.meta.url)('better-sqlite3') as typeof Database;
      const db = new Sqlite(path, opts.lock === false ? { readonly: true, fileMustExist: true } : {});
      if (opts.lock !== false) {
        db.pragma('journal_mode = WAL');
        db.exec(SCHEMA);
      }
      return new FireStore(db, lockFile);
    } catch (err) {
      if (lockFile) releaseLock(lockFile);
      throw err;
    }
  }

  /** When the scheduler first saw the trigger (now, the first time): no catch-up before it. */
  register(workflow: string, trigger: string, now: Date): Date {
    this.db
      .prepare('INSERT OR IGNORE INTO triggers (workflow, trigger, registered_at) VALUES (?, ?, ?)')
      .run(workflow, trigger, now.toISOString());
    const row = this.db.prepare('SELECT registered_at FROM triggers WHERE workflow = ? AND trigger = ?').get(workflow, trigger) as {
      registered_at: string;
    };
    return new Date(row.registered_at);
  }

  /** The latest logical time the trigger fired (whatever became of it). */
  lastFire(workflow: string, trigger: string): Date | undefined {
    const row = this.db.prepare('SELECT MAX(logical_time) AS t FROM fires WHERE workflow = ? AND trigger = ?').get(workflow, trigger) as {
      t: string | null;
    };
    return row.t ? new Date(row.t) : undefined;
  }

  /** Records a fire; false when that trigger already fired at that logical time (nothing changes). */
  claim(row: Pick<FireRow, 'workflow' | 'trigger' | 'logicalTime' | 'kind' | 'state' | 'firedAt'> & { note?: string }): boolean {
    const r = this.db
      .prepare('INSERT OR IGNORE INTO fires (workflow, trigger, logical_time, kind, state, fired_at, note) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(row.workflow, row.trigger, row.logicalTime, row.kind, row.state, row.firedAt, row.note ?? null);
    return r.changes === 1;
  }

  update(
    key: Pick<FireRow, 'workflow' | 'trigger' | 'logicalTime'>,
    patch: Partial<Pick<FireRow, 'state' | 'runId' | 'status' | 'finishedAt' | 'note'>>,
  ): void {
    const cols = { state: patch.state, run_id: patch.runId, status: patch.status, finished_at: patch.finishedAt, note: patch.note };
    const set = Object.entries(cols).filter(([, v]) => v !== undefined);
    if (set.length === 0) return;
    this.db
      .prepare(`UPDATE fires SET ${set.map(([k]) => `${k} = ?`).join(', ')} WHERE workflow = ? AND trigger = ? AND logical_time = ?`)
      .run(...set.map(([, v]) => v), key.workflow, key.trigger, key.logicalTime);
  }

  /** Fires in the state given (queued fires left by a stop are dropped on the next start). */
  inState(state: FireState): FireRow[] {
    return (this.db.prepare('SELECT * FROM fires WHERE state = ? ORDER BY logical_time').all(state) as Record<string, string | null>[]).map(
      toRow,
    );
  }

  /** The trigger's latest fires, newest first. */
  history(workflow: string, trigger: string, limit = 10): FireRow[] {
    return (
      this.db
        .prepare('SELECT * FROM fires WHERE workflow = ? AND trigger = ? ORDER BY logical_time DESC LIMIT ?')
        .all(workflow, trigger, limit) as Record<string, string | null>[]
    ).map(toRow);
  }

  close(): void {
    this.db.close();
    if (this.lockFile) releaseLock(this.lockFile);
  }
}

function toRow(r: Record<string, string | null>): FireRow {
  return {
    workflow: r.workflow!,
    trigger: r.trigger!,
    logicalTime: r.logical_time!,
    kind: r.kind as FireRow['kind'],
    state: r.state as FireState,
    firedAt: r.fired_at!,
    ...(r.run_id && { runId: r.run_id }),
    ...(r.status && { status: r.status }),
    ...(r.finished_at && { finishedAt: r.finished_at }),
    ...(r.note && { note: r.note }),
  };
}

/** The store's lock: one left by a scheduler that is gone (same host, pid dead) is taken over. */
function takeLock(file: string): string {
  takePidLock(
    file,
    (holder) =>
      new UsageError(
        `another flow schedule (pid ${holder.pid}${holder.host !== hostname() ? ` on ${holder.host}` : ''}, since ${holder.since}) holds ${file}`,
        'stop it first, or give this one its own --store',
      ),
  );
  return file;
}

function releaseLock(file: string): void {
  releasePidLock(file);
}
