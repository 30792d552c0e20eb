// Enough of the workflow, frozen in run.json, to check later that a resume is still sound.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { RunIf, Workflow } from '../workflow/types.js';

export interface NodeSnapshot {
  /** Absolute path of the input notebook; absent for a decision node. */
  notebook?: string;
  notebookAsWritten?: string;
  /** sha256 of the input notebook's bytes; absent when it could not be read. */
  notebookHash?: string;
  needs: string[];
  next: { when?: string; goto: string }[];
  /** As written (templates unrendered). */
  params: Record<string, unknown>;
  outputs: Record<string, string>;
  if?: string;
  runIf: RunIf;
  matrix?: Record<string, unknown[]>;
}

export interface WorkflowSnapshot {
  name: string;
  file: string;
  hash: string;
  nodes: Record<string, NodeSnapshot>;
}

export async function snapshotWorkflow(workflow: Workflow): Promise<WorkflowSnapshot> {
  const entries = await Promise.all(
    Object.values(workflow.nodes).map(
      async (n): Promise<[string, NodeSnapshot]> => [
        n.id,
        {
          notebook: n.notebook,
          notebookAsWritten: n.notebookAsWritten,
          notebookHash: n.notebook === undefined ? undefined : await hashFile(n.notebook),
          needs: [...n.needs],
          next: n.next.map((b) => (b.when ? { when: b.when.source, goto: b.goto } : { goto: b.goto })),
          params: { ...n.params },
          outputs: { ...n.outputs },
          if: n.if?.source,
          runIf: n.runIf,
          matrix: n.matrix ? Object.fromEntries(Object.entries(n.matrix.axes).map(([k, v]) => [k, [...v]])) : undefined,
        },
      ],
    ),
  );
  return { name: workflow.name, file: workflow.file, hash: workflow.hash, nodes: Object.fromEntries(entries) };
}

/** sha256 hex of a file, or undefined when it cannot be read. */
export async function hashFile(path: string): Promise<string | undefined> {
  try {
    return createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
  } catch {
    return undefined;
  }
}
