// Removes runtime dirs left by flow processes that died without cleaning up (SIGKILL).
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const RUNTIME_PREFIX = 'flow-jupyter-runtime-';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

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
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isAlive(pid)) {
      rmSync(join(dir, name), { recursive: true, force: true });
    }
  }
}
