// The gallery and scraps read back from fixture run directories: report cells, display scraps, instances, problems.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readRunGallery } from '../../../src/summary/gallery.js';
import { PNG, code, glued, gluedDisplay, makeRunDir, node, notebook } from './run-fixture.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function runDir(...args: Parameters<typeof makeRunDir>): string {
  const d = makeRunDir(...args);
  dirs.push(d);
  return d;
}

const plot = notebook([
  code([{ output_type: 'stream', name: 'stdout', text: 'hi\n' }]),
  code(
    [{ output_type: 'display_data', data: { 'image/png': PNG, 'text/plain': '<Figure>' }, metadata: { 'image/png': { width: 1 } } }],
    ['report'],
  ),
  code(
    [{ output_type: 'execute_result', execution_count: 3, data: { 'text/html': '<table></table>', 'application/json': {} }, metadata: {} }],
    ['report'],
  ),
  code([{ output_type: 'display_data', data: { 'image/png': PNG }, metadata: {} }]),
  code([glued('total', 12), gluedDisplay('total', { 'text/plain': '12' }), gluedDisplay('fig', { 'image/png': PNG })]),
]);

describe('readRunGallery', () => {
  it('collects the outputs of report cells and the scraps glued for display, each with its node, cell and kind', async () => {
    const dir = runDir([node('plot', 'succeeded', { notebookPath: 'plot.ipynb', outputs: { total: 12 } })], { 'plot.ipynb': plot });
    const g = await readRunGallery(dir);
    expect(g.problems).toEqual([]);
    expect(g.items.map((i) => [i.node, i.cell, i.kind, i.scrap, Object.keys(i.data)])).toEqual([
      ['plot', 1, 'report-cell', undefined, ['image/png', 'text/plain']],
      ['plot', 2, 'report-cell', undefined, ['text/html']],
      ['plot', 4, 'scrap', 'total', ['text/plain']],
      ['plot', 4, 'scrap', 'fig', ['image/png']],
    ]);
    expect(g.items[0]).toMatchObject({ path: join(dir, 'plot.ipynb'), metadata: { 'image/png': { width: 1 } } });
    expect(g.items[2]?.metadata).toEqual({});
    expect(g.notebooks).toHaveLength(1);
    expect(g.notebooks[0]).toMatchObject({ node: 'plot', values: { total: 12 }, displayOnly: ['fig'] });
    expect(g.notebooks[0]?.raw.map((s) => s.name)).toEqual(['total']);
  });

  it('reads each matrix instance, and names a missing or broken notebook in problems', async () => {
    const dir = runDir(
      [
        node('fan', 'failed', {
          instances: [
            node('fan', 'succeeded', { notebookPath: 'fan-0.ipynb' }),
            node('fan', 'failed', { notebookPath: 'fan-1.ipynb' }),
            node('fan', 'pending'),
          ],
        }),
        node('gone', 'succeeded', { notebookPath: 'gone.ipynb' }),
        node('skipped', 'skipped'),
      ],
      { 'fan-0.ipynb': notebook([code([glued('x', 1)], ['report'])]), 'fan-1.ipynb': '{"nbformat": 4, "cells": [' },
    );
    const g = await readRunGallery(dir);
    expect(g.notebooks.map((n) => [n.node, n.instance, n.values])).toEqual([['fan', 0, { x: 1 }]]);
    expect(g.items).toEqual([]); // a scrap's data output is not a figure, even in a report cell
    expect(g.problems.map((p) => [p.node, p.instance])).toEqual([
      ['fan', 1],
      ['gone', undefined],
    ]);
    expect(g.problems[0]?.message).toContain('not valid JSON');
    expect(g.problems[1]?.message).toContain('not found');
  });

  it('reads a half-written run (status running), and a run directory that was moved', async () => {
    const dir = runDir(
      [node('plot', 'running', { attempts: [{ attempt: 1, startedAt: '', notebookPath: '/elsewhere/plot.ipynb' }] })],
      { 'plot.ipynb': plot },
      { status: 'running', durationMs: undefined },
    );
    const g = await readRunGallery(dir);
    expect(g.run.status).toBe('running');
    expect(g.problems).toEqual([]);
    expect(g.items).toHaveLength(4);
  });

  it('throws when the directory has no run.json', async () => {
    await expect(readRunGallery('/nonexistent-run-dir')).rejects.toThrow(/run.json not found/);
  });
});
