// Reads a run directory's run.json back, and tells a run that is running from one whose flow died.
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { EVENTS_FILE, RUN_FILE } from './run-dir.js';
import { initialRunState, reduceRunStateInPlace } from '../events/run-state.js';
import type { RunEvent } from '../events/run-event.js';
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
    throw new UsageError(
      `${file} is not a flow run record: ${(err as Error).message}`,
      '`flow show` still shows what its events.ndjson holds; `flow run` starts the workflow again',
    );
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

/** The record a run's events describe, for a run.json that is gone; undefined without events. */
export async function runFromEvents(runDir: string): Promise<RunRecord | undefined> {
  let text: string;
  try {
    text = await readFile(join(runDir, EVENTS_FILE), 'utf8');
  } catch {
    return undefined;
  }
  let state = initialRunState();
  let lastAt: string | undefined;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const ev = JSON.parse(line) as RunEvent & { at?: string };
      state = reduceRunStateInPlace(state, ev);
      if (typeof ev.at === 'string') lastAt = ev.at;
    } catch {
      // a line cut short by the kill: the ones before it still count
    }
  }
  if (!state.runId) return undefined;
  return {
    ...state,
    runDir,
    schemaVersion: 0,
    flowVersion: 'unknown',
    workflowHash: '',
    workflowSnapshot: { name: state.workflow, file: state.workflowFile, hash: '', nodes: {} },
    updatedAt: state.finishedAt ?? lastAt ?? state.startedAt,
  };
}
