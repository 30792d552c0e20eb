// flow's executed notebook held against papermill's for the same inputs and parameters: the same
// cells, outputs, statuses, injected cell, error markers and metadata keys (cell ids and times aside).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Cell, CodeCell, Notebook } from '../../../src/notebook/types.js';
import { runPapermill } from '../../helpers/papermill.js';
import { useTestServer } from '../../helpers/server.js';
import { validateNotebooks } from '../../helpers/validate-notebook.js';
import { fixtureRunner, notebooksDir, summarize, text } from './run-fixture.js';

const server = useTestServer();
const runner = fixtureRunner(server);

/** Each case runs on both; values are ASCII so that both translators write the same literal. */
const cases: { name: string; params: Record<string, unknown> }[] = [
  { name: 'output-types', params: { name: 'flow' } },
  { name: 'fails-in-cell-3', params: {} },
  { name: 'sysexit0', params: {} },
  { name: 'raises-exception-tag', params: {} },
  { name: 'skip-execution-tag', params: {} },
  { name: 'scrapbook-outputs', params: { source: 'cli' } },
  {
    name: 'no-parameters-cell',
    params: {
      alpha: 0.5,
      label: 'say "hi"\n\tbye\\',
      n: -3,
      big: 1e100,
      flag: true,
      off: false,
      none: null,
      items: [1, 'two', [2.5]],
      d: { k: 1.5, 'a b': 'c' },
    },
  },
];

/** A cell as both tools should write it, ids, times and tracebacks' details aside. */
function comparable(cell: Cell) {
  const pm = (cell.metadata.papermill ?? {}) as Record<string, unknown>;
  return {
    cell_type: cell.cell_type,
    source: text(cell.source),
    tags: cell.metadata.tags ?? [],
    status: pm.status,
    exception: pm.exception,
    ...(cell.cell_type === 'code'
      ? { execution_count: (cell as CodeCell).execution_count, outputs: summarize((cell as CodeCell).outputs) }
      : {}),
  };
}

/** Cases where flow and papermill differ by design, tested on their own below. */
const divergences = { 'raises-exception-tag': true, sysexit0: true };

function expectSameMetadata(flow: Notebook, papermill: Notebook, flowOverrides: Record<string, unknown> = {}): void {
  const fpm = flow.metadata.papermill as Record<string, unknown>;
  const ppm = papermill.metadata.papermill as Record<string, unknown>;
  expect(Object.keys(fpm).sort()).toEqual(Object.keys(ppm).sort());
  expect({ parameters: fpm.parameters, exception: fpm.exception }).toEqual({
    parameters: ppm.parameters,
    exception: ppm.exception,
    ...flowOverrides,
  });
  expect(flow.cells.map((c) => Object.keys(c.metadata.papermill ?? {}).sort())).toEqual(
    papermill.cells.map((c) => Object.keys(c.metadata.papermill ?? {}).sort()),
  );
}

function read(path: string): Notebook {
  return JSON.parse(readFileSync(path, 'utf8')) as Notebook;
}

describe('flow and papermill write the same executed notebook', () => {
  const pairs: { name: string; flow: Notebook; papermill: Notebook; papermillError: { ename: string; evalue: string } | null }[] = [];

  beforeAll(async () => {
    const jobs = cases.map((c) => ({
      ...c,
      input: join(notebooksDir, `${c.name}.ipynb`),
      output: runner.outputPath(`${c.name}.papermill`),
    }));
    const papermillDone = runPapermill(jobs.map(({ input, output, params }) => ({ input, output, params, cwd: notebooksDir })));
    const flowOutputs: string[] = [];
    for (const c of cases) flowOutputs.push((await runner.run(c.name, { params: c.params })).outputPath);
    const errors = await papermillDone;
    for (const [i, c] of cases.entries())
      pairs.push({ name: c.name, flow: read(flowOutputs[i]!), papermill: read(jobs[i]!.output), papermillError: errors[i]! });
  }, 180_000);

  it.each(cases.map((c) => c.name).filter((n) => !(n in divergences)))('%s: same cells, outputs, statuses and metadata', (name) => {
    const { flow, papermill, papermillError } = pairs.find((p) => p.name === name)!;
    expect(flow.cells.map(comparable)).toEqual(papermill.cells.map(comparable));
    expectSameMetadata(flow, papermill);
    expect(papermillError === null).toBe(name !== 'fails-in-cell-3');
  });

  // Where flow differs from papermill on purpose (DESIGN.md §5).
  it('raises-exception-tag: papermill fails the notebook and adds its banner; flow lets the cell raise', () => {
    const { flow, papermill, papermillError } = pairs.find((p) => p.name === 'raises-exception-tag')!;
    expect(papermillError).toMatchObject({ ename: 'ValueError', evalue: 'expected failure' });
    const withoutMarkers = papermill.cells.filter(
      (c) => !((c.metadata.tags as string[] | undefined) ?? []).includes('papermill-error-cell-tag'),
    );
    expect(flow.cells.map(comparable)).toEqual(withoutMarkers.map(comparable));
    expectSameMetadata(flow, { ...papermill, cells: withoutMarkers }, { exception: null });
  });

  it('sysexit0: both succeed and leave later cells pending; papermill calls the exiting cell failed, flow completed', () => {
    const { flow, papermill, papermillError } = pairs.find((p) => p.name === 'sysexit0')!;
    expect(papermillError).toBeNull();
    const statuses = (nb: Notebook) => nb.cells.map((c) => c.metadata.papermill?.status);
    expect(statuses(papermill)).toEqual(['completed', 'failed', 'pending']);
    expect(statuses(flow)).toEqual(['completed', 'completed', 'pending']);
    const outputs = (nb: Notebook) => nb.cells.map((c) => summarize((c as CodeCell).outputs));
    expect(outputs(flow)).toEqual(outputs(papermill));
    expectSameMetadata(flow, papermill, { exception: null });
  });

  it("wrote only notebooks that nbformat validates (flow's and papermill's)", async () => {
    await validateNotebooks(runner.written);
  });
});
