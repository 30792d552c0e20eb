// Run directories: `<runs-dir>/<workflow>/<run-id>/`, holding run.json, events.ndjson and notebooks.
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export const RUN_FILE = 'run.json';
export const EVENTS_FILE = 'events.ndjson';

/** Creates the run directory (it must not exist yet) and returns its absolute path. */
export async function createRunDir(runsDir: string, workflowName: string, runId: string): Promise<string> {
  const dir = resolve(join(runsDir, workflowName, runId));
  await mkdir(join(runsDir, workflowName), { recursive: true });
  // Not recursive: a second run with the same id must fail rather than mix two runs' files.
  await mkdir(dir);
  return dir;
}
