// Fixture run directories for the summary tests: a run.json and executed notebooks written as flow writes them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NodeState } from '../../../src/events/run-state.js';
import type { RunRecord } from '../../../src/ledger/run-record.js';
import { serializeNotebook } from '../../../src/notebook/serialize-notebook.js';
import type { Cell, Notebook, Output } from '../../../src/notebook/types.js';

/** A 1×1 transparent PNG, base64. */
export const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

/** The data output of `sb.glue(name, value)` (json encoder). */
export function glued(name: string, value: unknown): Output {
  return {
    output_type: 'display_data',
    data: { 'application/scrapbook.scrap.json+json': { name, data: value, encoder: 'json', version: 1 } },
    metadata: { scrapbook: { name, data: true, display: false } },
  };
}

/** The display output of `sb.glue(name, …, display=True)`. */
export function gluedDisplay(name: string, data: Record<string, unknown>): Output {
  return { output_type: 'display_data', data, metadata: { scrapbook: { name, data: false, display: true } } };
}

export function code(outputs: Output[], tags: string[] = []): Cell {
  return { cell_type: 'code', source: 'x', metadata: tags.length ? { tags } : {}, outputs, execution_count: 1 };
}

export function notebook(cells: Cell[]): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3' } },
    cells: cells.map((c, i) => ({ ...c, id: `c${i}` })),
  };
}

export function node(id: string, status: NodeState['status'], extra: Partial<NodeState> = {}): NodeState {
  return { id, notebook: `${id}.ipynb`, status, attempts: [], lastOutput: [], ...extra };
}

/**
 * A run directory in a temp folder: run.json with `nodes` (a `notebookPath` of a bare file name
 * is made absolute in it) and the notebooks given, by file name (a string is written as is).
 */
export function makeRunDir(nodes: NodeState[], notebooks: Record<string, Notebook | string>, run: Partial<RunRecord> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'flow-summary-'));
  const abs = (n: NodeState): NodeState => ({
    ...n,
    ...(n.notebookPath && { notebookPath: join(dir, n.notebookPath) }),
    ...(n.instances && { instances: n.instances.map(abs) }),
  });
  const record: RunRecord = {
    schemaVersion: 1,
    flowVersion: '0.0.0',
    workflowHash: '',
    workflowSnapshot: {} as RunRecord['workflowSnapshot'],
    updatedAt: '2026-01-01T00:00:05Z',
    runId: '20260101-000000-abcd',
    workflow: 'demo',
    workflowFile: 'demo.yml',
    runDir: dir,
    params: {},
    startedAt: '2026-01-01T00:00:00Z',
    status: 'succeeded',
    durationMs: 5200,
    logs: [],
    nodes: Object.fromEntries(nodes.map((n) => [n.id, abs(n)])),
    ...run,
  };
  writeFileSync(join(dir, 'run.json'), JSON.stringify(record));
  for (const [file, nb] of Object.entries(notebooks)) writeFileSync(join(dir, file), typeof nb === 'string' ? nb : serializeNotebook(nb));
  return dir;
}
