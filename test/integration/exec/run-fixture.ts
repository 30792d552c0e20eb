// Runs a fixture notebook with executeNotebook on a real kernel, and reads back what was saved.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  executeNotebook,
  kernelPathFor,
  type ExecuteNotebookOptions,
  type ExecuteNotebookResult,
} from '../../../src/kernel/execute-notebook.js';
import type { JupyterServer } from '../../../src/kernel/jupyter-server.js';
import { KernelSession } from '../../../src/kernel/kernel-session.js';
import type { Cell, Notebook, Output } from '../../../src/notebook/types.js';
import { fixturesDir } from '../../helpers/paths.js';

export const notebooksDir = join(fixturesDir, 'notebooks');

export interface FixtureRun {
  result: ExecuteNotebookResult;
  /** The notebook as saved on disk, parsed. */
  saved: Notebook;
  outputPath: string;
  warnings: string[];
}

export interface FixtureRunner {
  run(name: string, opts?: Partial<ExecuteNotebookOptions> & { cwd?: string }): Promise<FixtureRun>;
  /** A fresh output path in this runner's temp folder (recorded for validation). */
  outputPath(name: string): string;
  /** Every notebook written so far: validate them all at the end, in one Python call. */
  readonly written: string[];
  readonly tmp: string;
}

export function fixtureRunner(getServer: () => JupyterServer): FixtureRunner {
  const tmp = mkdtempSync(join(tmpdir(), 'flow-exec-test-'));
  const written: string[] = [];
  let n = 0;
  const outputPath = (name: string) => {
    const p = join(tmp, `${name}.${++n}.ipynb`);
    written.push(p);
    return p;
  };
  return {
    tmp,
    written,
    outputPath,
    async run(name, opts = {}) {
      const { cwd, ...rest } = opts;
      const out = rest.outputPath ?? outputPath(name);
      const warnings: string[] = [];
      const result = await executeNotebook({
        inputPath: join(notebooksDir, `${name}.ipynb`),
        outputPath: out,
        params: {},
        getKernel: (kernelName) => KernelSession.start({ endpoint: getServer(), kernelName, path: kernelPathFor(cwd ?? notebooksDir) }),
        warn: (w) => warnings.push(w),
        ...rest,
      });
      const saved = JSON.parse(readFileSync(out, 'utf8')) as Notebook;
      return { result, saved, outputPath: out, warnings };
    },
  };
}

/** A stream's or cell's text, joined as nbformat's list of lines means it. */
export function text(t: string | string[] | undefined): string {
  return Array.isArray(t) ? t.join('') : (t ?? '');
}

/** Outputs reduced to what a person sees, for exact comparisons. */
export function summarize(outputs: Output[]): unknown[] {
  return outputs.map((o) => {
    switch (o.output_type) {
      case 'stream':
        return { stream: o.name, text: text(o.text) };
      case 'error':
        return { error: o.ename, evalue: o.evalue };
      default: {
        const data: Record<string, unknown> = {};
        for (const [mime, v] of Object.entries(o.data)) data[mime] = typeof v === 'string' || Array.isArray(v) ? text(v as string[]) : v;
        return { [o.output_type]: data };
      }
    }
  });
}

export function statuses(nb: Notebook): (string | undefined)[] {
  return nb.cells.map((c: Cell) => c.metadata.papermill?.status as string | undefined);
}

export function tags(c: Cell): string[] {
  return (c.metadata.tags as string[] | undefined) ?? [];
}
