// Finds a run by id (or a unique prefix of one) under the runs directory, or by its directory.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { listRuns } from './list-runs.js';
import { readRunRecord } from './read-run.js';
import type { RunRecord } from './run-record.js';

/**
 * `runIdOrDir` is a run directory (any path that is a directory), or a run id, or a prefix
 * that names one run. The record's `runDir` is set to where it was found (absolute).
 */
export async function loadRun(runIdOrDir: string, runsDir: string): Promise<RunRecord> {
  if (await isDirectory(runIdOrDir)) return withDir(await readRunRecord(runIdOrDir), runIdOrDir);
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
  return withDir(await readRunRecord(matches[0].runDir), matches[0].runDir);
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
