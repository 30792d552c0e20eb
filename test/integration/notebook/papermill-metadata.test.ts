import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { injectParameters } from '../../../src/notebook/inject-parameters.js';
import {
  addErrorBanner,
  completeCell,
  failCell,
  finishCell,
  finishNotebook,
  finishNotebookMetadata,
  papermillTime,
  prepareNotebookMetadata,
  recordExecutionTiming,
  startCell,
  startNotebook,
  startNotebookMetadata,
} from '../../../src/notebook/papermill-metadata.js';
import { CellOutputs, DisplayIndex } from '../../../src/notebook/output-buffer.js';
import { readNotebook } from '../../../src/notebook/read-notebook.js';
import { writeNotebookAtomic } from '../../../src/notebook/write-notebook.js';
import { sourceText, type Notebook } from '../../../src/notebook/types.js';
import { fixturesDir } from '../../helpers/paths.js';
import { runPython } from '../../helpers/python.js';

const t = (s: number) => new Date(Date.UTC(2026, 10, 26, 9, 30, s));
const STYLE = 'style="color:red; font-family:Helvetica Neue, Helvetica, Arial, sans-serif; font-size:2em;"';

/** A notebook run as flow runs one, failing in its third code cell. */
async function runFailing(): Promise<Notebook> {
  const input = await readNotebook(join(fixturesDir, 'notebooks', 'fails-in-cell-3.ipynb'));
  const { notebook: nb } = injectParameters(input, { alpha: 0.5, name: 'x"y', big: 10n ** 30n, nan: NaN }, { language: 'python' });
  prepareNotebookMetadata(nb, {
    parameters: { alpha: 0.5 },
    inputPath: 'in.ipynb',
    outputPath: 'out.ipynb',
    defaultParameters: { alpha: 0.1 },
  });
  startNotebook(nb, t(0));
  const displays = new DisplayIndex();
  // cells: 0 injected, 1 x = 1, 2 print, 3 raise, 4 never
  for (const [i, s] of [
    [0, 1],
    [1, 2],
    [2, 3],
  ] as const) {
    const cell = nb.cells[i]!;
    startCell(cell, t(s));
    recordExecutionTiming(cell, 'iopub.status.busy', '2026-11-26T09:30:01.000001Z');
    if (cell.cell_type === 'code') cell.execution_count = i + 1;
    if (i === 2)
      new CellOutputs(displays, (cell as unknown as { outputs: never[] }).outputs).onMessage('stream', {
        name: 'stdout',
        text: 'before the failure\n',
      });
    completeCell(cell, t(s + 1));
  }
  const failing = nb.cells[3]!;
  startCell(failing, t(4));
  if (failing.cell_type === 'code') failing.execution_count = 4;
  new CellOutputs(displays, (failing as unknown as { outputs: never[] }).outputs).onMessage('error', {
    ename: 'ValueError',
    evalue: 'boom in cell 3',
    traceback: ['tb'],
  });
  failCell(nb, failing);
  completeCell(failing, t(5));
  finishNotebook(nb, t(6));
  addErrorBanner(nb, 3, 4);
  return nb;
}

describe('papermill metadata', () => {
  test('papermillTime is Python isoformat with an offset', () => {
    expect(papermillTime(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 67)))).toBe('2026-01-02T03:04:05.067000+00:00');
  });

  test('notebook and cell metadata after a failing run', async () => {
    const nb = await runFailing();
    expect(nb.metadata.papermill).toEqual({
      default_parameters: { alpha: 0.1 },
      parameters: { alpha: 0.5 },
      environment_variables: {},
      version: '2.7.0+flow',
      input_path: 'in.ipynb',
      output_path: 'out.ipynb',
      start_time: '2026-11-26T09:30:00.000000+00:00',
      end_time: '2026-11-26T09:30:06.000000+00:00',
      duration: 6,
      exception: true,
    });
    // banner, injected, x = 1, print, anchor, raise, never
    expect(nb.cells.map((c) => c.metadata.papermill?.status)).toEqual([
      undefined,
      'completed',
      'completed',
      'completed',
      undefined,
      'failed',
      'pending',
    ]);
    expect(nb.cells[5]!.metadata.papermill).toEqual({
      exception: true,
      start_time: '2026-11-26T09:30:04.000000+00:00',
      end_time: '2026-11-26T09:30:05.000000+00:00',
      duration: 1,
      status: 'failed',
    });
    expect(nb.cells[1]!.metadata.execution).toEqual({ 'iopub.status.busy': '2026-11-26T09:30:01.000001Z' });
  });

  test("the error banner and anchor are papermill's exact cells", async () => {
    const nb = await runFailing();
    expect(nb.cells[0]!.cell_type).toBe('markdown');
    expect(nb.cells[0]!.metadata).toEqual({ tags: ['papermill-error-cell-tag'] });
    expect(sourceText(nb.cells[0]!.source)).toBe(
      `<span ${STYLE}>An Exception was encountered at '<a href="#papermill-error-cell">In [4]</a>'.</span>`,
    );
    expect(nb.cells[4]!.metadata).toEqual({ tags: ['papermill-error-cell-tag'] });
    expect(sourceText(nb.cells[4]!.source)).toBe(
      `<span id="papermill-error-cell" ${STYLE}>Execution using papermill encountered an exception here and stopped:</span>`,
    );
    expect(sourceText(nb.cells[5]!.source)).toBe('raise ValueError("boom in cell 3")');
  });

  test('a re-run removes old markers and resets every cell', async () => {
    const nb = await runFailing();
    prepareNotebookMetadata(nb, { parameters: {}, inputPath: 'a', outputPath: 'b' });
    expect(nb.cells).toHaveLength(5);
    for (const c of nb.cells) {
      expect(c.metadata.papermill).toEqual({ exception: null, start_time: null, end_time: null, duration: null, status: 'pending' });
      if (c.cell_type === 'code') expect([c.outputs, c.execution_count, c.metadata.execution]).toEqual([[], null, undefined]);
    }
  });

  test("the written notebook validates with nbformat and reads with papermill's and scrapbook's readers", async () => {
    const nb = await runFailing();
    const scrapCell = nb.cells[2]!;
    if (scrapCell.cell_type === 'code') {
      new CellOutputs(new DisplayIndex(), scrapCell.outputs).onMessage('display_data', {
        data: { 'application/scrapbook.scrap.json+json': { name: 'rows', data: 12, encoder: 'json', version: 1 } },
        metadata: { scrapbook: { name: 'rows', data: true, display: false } },
        transient: { display_id: 'abc' },
      });
    }
    const path = join(mkdtempSync(join(tmpdir(), 'flow-nbv-')), 'out.ipynb');
    await writeNotebookAtomic(path, nb);
    const report = runPython(
      [
        'import json, sys, nbformat, scrapbook as sb',
        'nb = nbformat.read(sys.argv[1], as_version=4)',
        'nbformat.validate(nb)',
        'book = sb.read_notebook(sys.argv[1])',
        'print(json.dumps({"scraps": {k: v.data for k, v in book.scraps.items()}, "parameters": book.parameters,',
        '  "minor": nb.nbformat_minor, "first": nb.cells[0].source[:40], "injected": nb.cells[1].source}))',
      ].join('\n'),
      '',
      [path],
    );
    expect(JSON.parse(report)).toEqual({
      scraps: { rows: 12 },
      parameters: { alpha: 0.5 },
      minor: 5,
      first: '<span style="color:red; font-family:Helv',
      injected: '# Parameters\nalpha = 0.5\nname = "x\\"y"\nbig = 1000000000000000000000000000000\nnan = float(\'nan\')\n',
    });
  });

  test('the one-call forms: startNotebookMetadata, finishCell, finishNotebookMetadata', () => {
    const nb: Notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [
        { cell_type: 'markdown', id: 'm', source: '', metadata: {} },
        { cell_type: 'code', id: 'a', source: '', metadata: {}, outputs: [], execution_count: null },
        { cell_type: 'code', id: 'b', source: '', metadata: {}, outputs: [], execution_count: null },
      ],
    };
    startNotebookMetadata(nb, { parameters: { a: 1 }, inputPath: 'i', outputPath: 'o', startTime: t(0) });
    startCell(nb.cells[1]!, t(1));
    finishCell(nb.cells[1]!, t(3), true);
    finishNotebookMetadata(nb, { endTime: t(4), exception: true });
    expect(nb.metadata.papermill).toMatchObject({
      start_time: papermillTime(t(0)),
      end_time: papermillTime(t(4)),
      duration: 4,
      exception: true,
    });
    expect(nb.cells.map((c) => c.metadata.papermill?.status)).toEqual(['completed', 'failed', 'pending']);
    expect(nb.cells[1]!.metadata.papermill).toMatchObject({ duration: 2, exception: true });
  });
});
