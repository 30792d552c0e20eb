// Reads a run directory's run.json back, and tells a run that is running from one whose flow died.
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { RUN_FILE } from './run-dir.js';
import type { RunRecord } from './run-record.js';
import { processIsAlive } from '../process-alive.js';

/** Throws UsageError when run.json is missing or not a run record. */
export async function readRunRecord(dir: string): Promise<RunRecord> {
  const file = join(dir, RUN_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`${file} not found`, 'a run directory holds the run.json that flow run writes');
  }
  try {
    const record = JSON.parse(text) as RunRecord;
    if (typeof record.runId !== 'string' || typeof record.nodes !== 'object') throw new Error('no runId or nodes');
    return record;
  } catch (err) {
    throw new UsageError(`${file} is not a flow run record: ${(err as Error).message}`);
  }
}

/**
 * True when run.json says `running` but the flow process that wrote it, on this host, is gone:
 * flow was killed (SIGKILL, a crash, a reboot) before it could record the end. A run from
 * another host, or from a record without a pid, cannot be checked and counts as running.
 * A recycled pid makes a dead run look alive; that errs on the safe side.
 */
export function runIsAbandoned(run: Pick<RunRecord, 'status' | 'pid' | 'host'>, host = hostname()): boolean {
  // A pid of 0 or below would address a process group: such a record is not checked.
  const { pid } = run;
  if (run.status !== 'running' || pid === undefined || !Number.isInteger(pid) || pid <= 0 || run.host !== host) return false;
  return !processIsAlive(pid);
}
