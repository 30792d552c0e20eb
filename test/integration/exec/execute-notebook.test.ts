// executeNotebook on a real kernel: injection, every kind of output, papermill's failure markers,
// tags, SystemExit(0), the kernel's folder, declared outputs and saves while the notebook runs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CodeCell } from '../../../src/notebook/types.js';
import { readWithPapermill } from '../../helpers/papermill.js';
import { useTestServer } from '../../helpers/server.js';
import { validateNotebooks } from '../../helpers/validate-notebook.js';
import { fixtureRunner, notebooksDir, statuses, summarize, tags, text } from './run-fixture.js';

const server = useTestServer();
const runner = fixtureRunner(server);

const code = (c: unknown) => c as CodeCell;

describe('executeNotebook', () => {
  it('injects the parameters after the parameters cell and records every kind of output', async () => {
    const { result, saved, warnings } = await runner.run('output-types', { params: { name: 'flow' } });
    expect(result.ok).toBe(true);
    expect(warnings).toEqual([]);
    const cells = saved.cells;
    expect(cells).toHaveLength(7);
    expect(tags(cells[0]!)).toEqual(['parameters']);
    expect(tags(cells[1]!)).toEqual(['injected-parameters']);
    expect(text(cells[1]!.source)).toBe('# Parameters\nname = "flow"\n');
    // stdout coalesced around stderr, as nbclient does
    expect(summarize(code(cells[2]).outputs)).toEqual([
      { stream: 'stdout', text: 'hello flow\nsecond line\n' },
      { stream: 'stderr', text: 'a warning\n' },
      { stream: 'stdout', text: 'after stderr\n' },
    ]);
    // display_data, then update_display_data from the next cell rewrote it in place
    expect(summarize(code(cells[3]).outputs)).toEqual([
      { display_data: { 'text/html': '<b>v2</b>', 'text/plain': '<IPython.core.display.HTML object>' } },
      { display_data: { 'application/json': { k: 1 } } },
    ]);
    expect(code(cells[4]).outputs).toEqual([]);
    // clear_output(wait=True) before each frame: only the last frame stays
    expect(summarize(code(cells[5]).outputs)).toEqual([{ stream: 'stdout', text: 'frame 2\n' }]);
    expect(summarize(code(cells[6]).outputs)).toEqual([{ execute_result: { 'text/plain': '42' } }]);
    expect(code(cells[6]).outputs[0]).toMatchObject({ execution_count: 7, metadata: {} });
    expect(cells.map((c) => code(c).execution_count)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(statuses(saved)).toEqual(Array(7).fill('completed'));
    expect(Object.keys(code(cells[6]).metadata.execution ?? {}).sort()).toEqual([
      'iopub.execute_input',
      'iopub.status.busy',
      'iopub.status.idle',
      'shell.execute_reply',
    ]);
    expect(saved.metadata.papermill).toMatchObject({ parameters: { name: 'flow' }, exception: null });
  });

  it('puts the injected cell first, with a warning, when there is no parameters cell', async () => {
    const { result, saved, warnings } = await runner.run('no-parameters-cell', { params: { alpha: 0.5 } });
    expect(result.ok).toBe(true);
    expect(warnings).toEqual(['the notebook has no cell tagged "parameters": the injected parameters cell was put first']);
    expect(tags(saved.cells[0]!)).toEqual(['injected-parameters']);
    expect(summarize(code(saved.cells[2]).outputs)).toEqual([{ stream: 'stdout', text: 'alpha=0.5\n' }]);
  });

  it("marks a failing cell failed, later cells pending, and adds papermill's banner and anchor", async () => {
    const { result, saved } = await runner.run('fails-in-cell-3');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ errorClass: 'error', cell: 2, executionCount: 3, ename: 'ValueError', evalue: 'boom in cell 3' });
    expect(result.cancelled).toBe(false);
    const cells = saved.cells;
    expect(cells.map((c) => c.cell_type)).toEqual(['markdown', 'code', 'code', 'markdown', 'code', 'code']);
    expect(tags(cells[0]!)).toEqual(['papermill-error-cell-tag']);
    expect(text(cells[0]!.source)).toContain(`An Exception was encountered at '<a href="#papermill-error-cell">In [3]</a>'.`);
    expect(tags(cells[3]!)).toEqual(['papermill-error-cell-tag']);
    expect(text(cells[3]!.source)).toContain('<span id="papermill-error-cell"');
    // the markers carry no papermill metadata, as papermill writes them
    expect(statuses(saved)).toEqual([undefined, 'completed', 'completed', undefined, 'failed', 'pending']);
    expect(summarize(code(cells[4]).outputs)).toEqual([{ error: 'ValueError', evalue: 'boom in cell 3' }]);
    expect(code(cells[5]).outputs).toEqual([]);
    expect(saved.metadata.papermill).toMatchObject({ exception: true });
  });

  it('lets a raises-exception cell raise and goes on', async () => {
    const { result, saved } = await runner.run('raises-exception-tag');
    expect(result.ok).toBe(true);
    expect(summarize(code(saved.cells[0]).outputs)).toEqual([{ error: 'ValueError', evalue: 'expected failure' }]);
    expect(summarize(code(saved.cells[1]).outputs)).toEqual([{ stream: 'stdout', text: 'after the allowed error\n' }]);
    expect(statuses(saved)).toEqual(['completed', 'completed']);
    expect(saved.metadata.papermill).toMatchObject({ exception: null });
  });

  it('does not run a skip-execution cell', async () => {
    const { result, saved } = await runner.run('skip-execution-tag');
    expect(result.ok).toBe(true);
    expect(code(saved.cells[0]).outputs).toEqual([]);
    expect(code(saved.cells[0]).execution_count).toBeNull();
    expect(summarize(code(saved.cells[1]).outputs)).toEqual([{ stream: 'stdout', text: 'ran\n' }]);
  });

  it('treats SystemExit(0) as success and runs nothing after it', async () => {
    const { result, saved } = await runner.run('sysexit0');
    expect(result.ok).toBe(true);
    expect(code(saved.cells[2]).outputs).toEqual([]);
    expect(code(saved.cells[2]).execution_count).toBeNull();
    expect(saved.metadata.papermill).toMatchObject({ exception: null });
  });

  it("starts the kernel in the notebook's folder, or in the folder asked for", async () => {
    const here = await runner.run('prints-cwd');
    expect(summarize(code(here.saved.cells[0]).outputs)).toEqual([{ stream: 'stdout', text: `${notebooksDir}\n` }]);
    const there = await runner.run('prints-cwd', { cwd: runner.tmp });
    expect(summarize(code(there.saved.cells[0]).outputs)).toEqual([{ stream: 'stdout', text: `${runner.tmp}\n` }]);
  });

  describe('declared outputs', () => {
    it("reads scrapbook scraps (the last of a name wins), as scrapbook's and papermill's readers do", async () => {
      const { result, outputPath } = await runner.run('scrapbook-outputs', {
        params: { source: 'cli' },
        declaredOutputs: { rows: 'integer', path: 'string', note: 'string', source: 'string' },
      });
      expect(result).toMatchObject({ ok: true, outputs: { rows: 42, path: '/tmp/out.csv', note: 'hello', source: 'cli' } });
      const [back] = await readWithPapermill([outputPath]);
      expect(back!.scraps).toEqual({ rows: 42, path: '/tmp/out.csv', note: 'hello', source: 'cli' });
      expect(back!.papermill).toMatchObject({ parameters: { source: 'cli' }, exception: null });
      expect(back!.statuses).toEqual(['completed', 'completed', 'completed', 'completed']);
    });

    it('reads plain kernel variables when nothing was glued', async () => {
      const { result } = await runner.run('outputs-from-variables', {
        params: { rows: 10 },
        declaredOutputs: { rows: 'integer', path: 'string', ratio: 'number' },
      });
      expect(result).toMatchObject({ ok: true, outputs: { rows: 10, path: '/tmp/data.csv', ratio: 2.5 } });
    });

    it('fails with a message naming both types when a value does not match', async () => {
      const { result } = await runner.run('outputs-from-variables', { declaredOutputs: { path: 'integer' } });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error).toMatchObject({
        errorClass: 'error',
        ename: 'OutputTypeError',
        message: 'output "path" should be integer but the notebook recorded a string ("/tmp/data.csv")',
      });
    });

    it('fails clearly for a variable that cannot be serialized, and for a missing one', async () => {
      const frame = await runner.run('outputs-from-variables', { declaredOutputs: { frame: 'any' } });
      expect(frame.result.ok).toBe(false);
      if (!frame.result.ok) {
        expect(frame.result.error.message).toBe('output "frame" could not be read from the kernel: object is not JSON-serializable');
      }
      const missing = await runner.run('outputs-from-variables', { declaredOutputs: { nope: 'integer' } });
      expect(missing.result.ok).toBe(false);
      if (!missing.result.ok) {
        expect(missing.result.error.message).toBe(
          'output "nope" is declared but the notebook neither recorded it (scrapbook glue) nor left a variable of that name',
        );
      }
    });
  });

  it('saves the notebook while it runs: mid-run the file is valid JSON with the first cell completed', async () => {
    const controller = new AbortController();
    const outputPath = runner.outputPath('slow-second-cell');
    const running = runner.run('slow-second-cell', { outputPath, signal: controller.signal, saveIntervalMs: 100 });
    let seen: ReturnType<typeof JSON.parse> | undefined;
    for (let i = 0; i < 300 && !seen; i++) {
      await new Promise((r) => setTimeout(r, 100));
      let doc: { cells: { metadata: { papermill: { status: string } } }[] };
      try {
        doc = JSON.parse(readFileSync(outputPath, 'utf8')); // never half-written: saves are atomic
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      if (doc.cells[1].metadata.papermill.status === 'running') seen = doc;
    }
    controller.abort();
    if (!seen) {
      // Say why (a kernel that never started, say), rather than only that nothing was seen.
      const { result } = await running;
      expect(
        seen,
        `no mid-run save with cell 2 running within 30 s; the run ended ${JSON.stringify(result.ok ? 'ok' : result.error)}`,
      ).toBeDefined();
    }
    expect(seen.cells[0].metadata.papermill.status).toBe('completed');
    expect(summarize(seen.cells[0].outputs)).toEqual([{ stream: 'stdout', text: 'first\n' }]);
    expect(seen.cells[2].metadata.papermill.status).toBe('pending');
    const { result, saved } = await running;
    expect(result).toMatchObject({ ok: false, cancelled: true });
    expect(statuses(saved)).toEqual(['completed', 'failed', 'pending']);
  });

  it('wrote only notebooks that nbformat validates', async () => {
    await validateNotebooks(runner.written);
  });
});
