// summary.ipynb of real runs (summary.yml: a report-tagged matplotlib figure and scraps, in a matrix
// and a single node), read back with nbformat and scrapbook; a failed run writes it too.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notebook } from '../../src/notebook/types.js';
import { makeSandbox, type Sandbox, validateNotebooks } from '../fixtures/e2e/harness.js';
import { venvPython } from '../helpers/validate-notebook.js';

const SCRAPS = `
import json, sys, scrapbook as sb
nb = sb.read_notebook(sys.argv[1])
print(json.dumps({k: s.data for k, s in nb.scraps.items()}))
`;

function scraps(path: string): Record<string, unknown> {
  return JSON.parse(execFileSync(venvPython, ['-c', SCRAPS, path], { encoding: 'utf8' })) as Record<string, unknown>;
}

function pngOutputs(path: string): unknown[] {
  const nb = JSON.parse(readFileSync(path, 'utf8')) as Notebook;
  return nb.cells
    .flatMap((c) => (c.cell_type === 'code' ? c.outputs : []))
    .filter((o) => 'data' in o && typeof o.data['image/png'] === 'string');
}

let box: Sandbox;
beforeAll(() => {
  box = makeSandbox();
});
afterAll(() => box?.cleanup());

describe('summary.ipynb of a run', () => {
  let summary: string;

  beforeAll(async () => {
    const result = await box.flow(['run', box.workflow('summary'), '-p', `dir=${box.dir}`]);
    expect(result.exitCode, String(result.all)).toBe(0);
    const [runDir] = box.runDirs('summary');
    summary = join(runDir!, 'summary.ipynb');
  });

  it('is a valid nbformat 4 notebook', () => {
    expect(existsSync(summary)).toBe(true);
    validateNotebooks([summary]);
  });

  it('holds every node’s scraps as <node>.<scrap>, with their values, for scrapbook.read_notebook', () => {
    expect(scraps(summary)).toEqual({
      'single.score': 6,
      'single.label': 'single=4',
      'single.points': { x: [0, 1, 2], y: [0, 4, 0] },
      'plots[0].score': 1.5,
      'plots[0].label': 'plots=1',
      'plots[0].points': { x: [0, 1, 2], y: [0, 1, 0] },
      'plots[1].score': 3,
      'plots[1].label': 'plots=2',
      'plots[1].points': { x: [0, 1, 2], y: [0, 2, 0] },
    });
  });

  it('holds the gallery: each notebook’s report-tagged figure as a PNG, and the scrap glued for display', () => {
    expect(pngOutputs(summary)).toHaveLength(3);
    const text = readFileSync(summary, 'utf8');
    expect(text).toContain('### `plots[1]`, cell 3'); // of the executed notebook: after the injected parameters
    expect(text).toContain('scrap `label`');
    expect(text).toContain("'single=4'");
  });
});

describe('summary.ipynb of a failed run', () => {
  it('is written too, with the failed node’s status and the scraps glued before it failed', async () => {
    const result = await box.flow(['run', box.workflow('summary'), '-p', `dir=${box.dir}`, '-p', 'fail=true']);
    expect(result.exitCode, String(result.all)).toBe(1);
    const runDir = box.runDirs('summary').at(-1)!;
    const summary = join(runDir, 'summary.ipynb');
    validateNotebooks([summary]);
    const text = readFileSync(summary, 'utf8');
    expect(text).toContain('**Status:** failed (exit code 1)');
    expect(text).toContain('| `single` | failed |');
    expect(text).toContain('| `after` | upstream_failed |');
    expect(scraps(summary)).toMatchObject({ 'single.score': 6, 'plots[1].score': 3 });
    expect(pngOutputs(summary)).toHaveLength(3);
  });
});
