// Where executed notebooks go in a run directory (DESIGN.md §3), and keeping each attempt's.
import { rename } from 'node:fs/promises';
import { join } from 'node:path';

/** `<node>.ipynb`, or `<node>.<i>.ipynb` for matrix instance i: where the final attempt ends up. */
export function finalNotebookPath(runDir: string, node: string, instance?: number): string {
  return join(runDir, `${stem(node, instance)}.ipynb`);
}

/** `<node>.attempt-<n>.ipynb` (`<node>.<i>.attempt-<n>.ipynb` in a matrix): an earlier attempt's. */
export function attemptNotebookPath(runDir: string, node: string, attempt: number, instance?: number): string {
  return join(runDir, `${stem(node, instance)}.attempt-${attempt}.ipynb`);
}

/**
 * Every attempt executes into the final path; before a retry, the failed attempt's notebook is
 * moved aside, so that the last attempt needs no rename and a crash leaves the newest at the
 * final path. Returns the attempt's path (a missing notebook, e.g. the kernel never started,
 * is not an error).
 */
export async function archiveAttemptNotebook(runDir: string, node: string, attempt: number, instance?: number): Promise<string> {
  const to = attemptNotebookPath(runDir, node, attempt, instance);
  try {
    await rename(finalNotebookPath(runDir, node, instance), to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return to;
}

function stem(node: string, instance: number | undefined): string {
  return instance === undefined ? node : `${node}.${instance}`;
}
