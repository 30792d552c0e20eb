// Reads a run directory's run.json back.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { RUN_FILE } from './run-dir.js';
import type { RunRecord } from './run-record.js';

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
