// Finds a run by id (or a unique prefix of one) under the runs directory, or by its directory.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { listRuns } from './list-runs.js';
import { readRunRecord, runFromEvents } from './read-run.js';
import type { RunRecord } from './run-record.js';

/**
 * `runIdOrDir` is a run directory (any path that is a directory), or a run id, or a prefix
 * that names one run. The record's `runDir` is set to where it was found (absolute).
 */
export async function loadRun(runIdOrDir: string, runsDir: string): Promise<RunRecord> {
  const dir = await findRunDir(runIdOrDir, runsDir);
  return withDir(await readRunRecord(dir), dir);
}

/**
 * loadRun, or, when run.json is missing or broken, the run rebuilt from its events.ndjson, with
 * what was wrong (for `flow show`, which shows what it can still read).
 */
export async function loadRunOrEvents(runIdOrDir: string, runsDir: string): Promise<{ record: RunRecord; problem?: string }> {
  const dir = await findRunDir(runIdOrDir, runsDir);
  try {
    return { record: withDir(await readRunRecord(dir), dir) };
  } catch (err) {
    const rebuilt = await runFromEvents(dir);
    if (!rebuilt) throw err;
    return { record: withDir(rebuilt, dir), problem: (err as Error).message };
  }
}

/** The directory a run id (or a unique prefix of one), or a run directory, names. */
async function findRunDir(runIdOrDir: string, runsDir: string): Promise<string> {
  if (await isDirectory(runIdOrDir)) return runIdOrDir;
  const runs = await listRuns(runsDir);
  const exact = runs.filter((r) => r.runId === runIdOrDir);
  const matches = exact.length > 0 ? exact : runs.filter((r) => r.runId.startsWith(runIdOrDir));
  if (matches.length === 0) {
    throw new UsageError(`no run "${runIdOrDir}" in ${runsDir}`, 'list runs with `flow runs`, or pass a run directory');
  }
  if (matches.length > 1) {
    const names = matches.slice(0, 5).map((r) => `${r.workflow}/${r.runId}`);
    throw new UsageError(
      `"${runIdOrDir}" matches ${matches.length} runs: ${names.join(', ')}`,
      'give more of the run id, or the run directory',
    );
  }
  return matches[0]!.runDir;
}

function withDir(record: RunRecord, dir: string): RunRecord {
  return { ...record, runDir: resolve(dir) };
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
