// summary.ipynb of fixture runs, read back with Python's nbformat and scrapbook.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readNotebook } from '../../../src/notebook/read-notebook.js';
import { sourceText } from '../../../src/notebook/types.js';
import { formatDuration, formatValue, summaryFileName, writeSummaryNotebook } from '../../../src/summary/summary-notebook.js';
import { runPython } from '../../helpers/python.js';
import { validateNotebooks } from '../../helpers/validate-notebook.js';
import { PNG, code, glued, gluedDisplay, makeRunDir, node, notebook } from './run-fixture.js';

const SCRAPS = `
import json, sys, scrapbook as sb
nb = sb.read_notebook(sys.argv[1])
print(json.dumps({k: {"data": s.data, "encoder": s.encoder, "display": s.display is not None} for k, s in nb.scraps.items()}))
`;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('writeSummaryNotebook', () => {
  const dir = makeRunDir(
    [
      node('count', 'succeeded', { notebookPath: 'count.ipynb', outputs: { total: 12, token: '***', long: 'x'.repeat(500) } }),
      node('fan', 'failed', {
        instances: [
          node('fan', 'succeeded', { notebookPath: 'fan-0.ipynb', outputs: { y: 1 } }),
          node('fan', 'failed', { notebookPath: 'fan-1.ipynb' }),
        ],
      }),
      node('later', 'skipped'),
    ],
    {
      'count.ipynb': notebook([
        code([glued('total', 12), gluedDisplay('total', { 'text/plain': '12' }), glued('rows', { a: [1, 2] })]),
        code([{ output_type: 'display_data', data: { 'image/png': PNG, 'text/plain': '<Figure>' }, metadata: {} }], ['report']),
        code([gluedDisplay('fig', { 'image/png': PNG })]),
        code([{ output_type: 'display_data', data: { 'application/papermill.record+json': { old: 'pm' } }, metadata: {} }]),
      ]),
      'fan-0.ipynb': notebook([code([glued('y', 1)])]),
      'fan-1.ipynb': 'not json',
    },
    { status: 'failed', exitCode: 1, resumedFrom: '20251231-000000-beef' },
  );
  dirs.push(dir);
  const written = writeSummaryNotebook(dir);

  it('is a valid nbformat 4.5 notebook with a python3 kernelspec and cell ids', async () => {
    const { path, problems } = await written;
    expect(path).toBe(join(dir, 'summary.ipynb'));
    expect(problems.map((p) => `${p.node}[${p.instance}]`)).toEqual(['fan[1]']);
    await validateNotebooks([path]);
    const nb = JSON.parse(readFileSync(path, 'utf8'));
    expect(nb).toMatchObject({ nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3' } } });
    expect(nb.cells.every((c: { id?: string }) => typeof c.id === 'string')).toBe(true);
  });

  it('says what the run was, every node’s status and outputs, and which notebook could not be read', async () => {
    const nb = await readNotebook((await written).path);
    const text = nb.cells
      .filter((c) => c.cell_type === 'markdown')
      .map((c) => sourceText(c.source))
      .join('\n');
    expect(text).toContain('# demo: run 20260101-000000-abcd');
    expect(text).toContain('**Status:** failed (exit code 1)');
    expect(text).toContain('**Duration:** 5.2 s');
    expect(text).toContain('**Resumed from:** 20251231-000000-beef');
    expect(text).toContain('| `count` | succeeded | `total` = 12<br>`token` = "***"<br>`long` = "xxx');
    expect(text).toContain('| `fan[1]` | failed |');
    expect(text).toContain('| `later` | skipped |');
    expect(text).toMatch(/`fan\[1\]`: .*not valid JSON/);
    expect(text).toContain('### `count`, cell 1');
  });

  it('re-glues every node’s scraps as <node>.<scrap>, readable by scrapbook', async () => {
    const out = runPython(SCRAPS, '', [(await written).path]);
    expect(JSON.parse(out)).toEqual({
      'count.total': { data: 12, encoder: 'json', display: false },
      'count.rows': { data: { a: [1, 2] }, encoder: 'json', display: false },
      'count.old': { data: 'pm', encoder: 'json', display: false },
      'fan[0].y': { data: 1, encoder: 'json', display: false },
      'count.fig': { data: null, encoder: 'display', display: true },
    });
  });

  it('holds the gallery’s figures as outputs', async () => {
    const nb = await readNotebook((await written).path);
    const pngs = nb.cells
      .flatMap((c) => (c.cell_type === 'code' ? c.outputs : []))
      .filter((o) => 'data' in o && o.data['image/png'] === PNG);
    expect(pngs).toHaveLength(2);
  });
});

describe('summaryFileName', () => {
  it('is summary.ipynb, or summary.run.ipynb beside a node called summary (whose notebook is summary.ipynb)', async () => {
    expect(summaryFileName(['a', 'summary-x'])).toBe('summary.ipynb');
    expect(summaryFileName(['a', 'summary'])).toBe('summary.run.ipynb');
    const dir = makeRunDir([node('summary', 'succeeded', { notebookPath: 'summary.ipynb' })], {
      'summary.ipynb': notebook([code([glued('n', 1)])]),
    });
    dirs.push(dir);
    expect((await writeSummaryNotebook(dir)).path).toBe(join(dir, 'summary.run.ipynb'));
    expect(readFileSync(join(dir, 'summary.ipynb'), 'utf8')).not.toContain('summary.n');
  });
});

describe('formatting', () => {
  it('cuts long values and writes durations', () => {
    expect(formatValue('x'.repeat(500))).toHaveLength(120);
    expect(formatValue(10n)).toBe('"10"');
    expect([formatDuration(850), formatDuration(65_000), formatDuration(7_380_000)]).toEqual(['850 ms', '1 min 05 s', '2 h 03 min']);
  });
});
