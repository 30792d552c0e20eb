// Removes runtime dirs left by flow processes that died without cleaning up (SIGKILL).
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processIsAlive } from '../process-alive.js';

export const RUNTIME_PREFIX = 'flow-jupyter-runtime-';

export function cleanStaleRuntimeDirs(dir = tmpdir()): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of entries) {
    if (!name.startsWith(RUNTIME_PREFIX)) continue;
    const pid = Number(name.slice(RUNTIME_PREFIX.length).split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !processIsAlive(pid)) {
      rmSync(join(dir, name), { recursive: true, force: true });
    }
  }
}
