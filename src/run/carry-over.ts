// A resumed run's directory is a complete record on its own: the reused nodes' notebooks are copied in.
import { existsSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ReusedNode } from '../engine/run-options.js';
import type { RunEvent } from '../events/run-event.js';
import type { Plan } from '../graph/types.js';
import { finalNotebookPath } from '../ledger/notebook-paths.js';

/** A resumed run's directory is complete on its own: reused nodes' notebooks are copied in. */
export async function carryOverNotebooks(fromDir: string, toDir: string, plan: Plan, reuse: Record<string, ReusedNode>): Promise<void> {
  for (const id of Object.keys(reuse)) {
    for (const f of reusedNotebooks(fromDir, plan, id)) await copyFile(f, join(toDir, basename(f))).catch(() => undefined);
  }
}

/** A node's final notebook, or its matrix instances' (a reused matrix node does not fan out). */
function reusedNotebooks(dir: string, plan: Plan, id: string): string[] {
  const matrix = plan.workflow.nodes[id]?.matrix;
  if (!matrix) return [finalNotebookPath(dir, id)];
  const count = Object.values(matrix.axes).reduce((n, v) => n * v.length, 1);
  return Array.from({ length: count }, (_, i) => finalNotebookPath(dir, id, i));
}

/**
 * The engine does not know which reused notebooks carryOverNotebooks found, so a reused node's
 * node_finished gets its copied notebook here (`flow show`, run.json); a matrix node's copies
 * go first in one node_finished per instance, as when its instances ran.
 */
export function withCarriedNotebooks(
  runDir: string,
  plan: Plan,
  reuse: Record<string, ReusedNode>,
  emit: (ev: RunEvent) => void,
): (ev: RunEvent) => void {
  return (ev) => {
    if (ev.type !== 'node_finished' || !ev.reused || ev.instance !== undefined || ev.notebookPath || !reuse[ev.node]) return emit(ev);
    const files = reusedNotebooks(runDir, plan, ev.node);
    if (!plan.workflow.nodes[ev.node]?.matrix) return emit(existsSync(files[0]) ? { ...ev, notebookPath: files[0] } : ev);
    files.forEach((f, instance) => {
      if (existsSync(f)) emit({ ...ev, instance, outputs: undefined, notebookPath: f });
    });
    emit(ev);
  };
}
