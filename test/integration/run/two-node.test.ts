// The vertical slice: load → plan → run on real kernels → executed notebooks and run.json on disk.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expressions } from '../../../src/run/execute-plan.js';
import type { RunEvent } from '../../../src/events/run-event.js';
import { runPlan } from '../../../src/engine/scheduler.js';
import { buildPlan } from '../../../src/graph/build-plan.js';
import type { JupyterServer } from '../../../src/kernel/jupyter-server.js';
import { createKernelExecutor } from '../../../src/run/kernel-executor.js';
import { createRunDir } from '../../../src/ledger/run-dir.js';
import { RunLedger } from '../../../src/ledger/run-ledger.js';
import type { CodeCell, Notebook } from '../../../src/notebook/types.js';
import { loadWorkflow } from '../../../src/run/load-workflow.js';
import { resolveRunParams } from '../../../src/workflow/run-params.js';
import { fixturesDir } from '../../helpers/paths.js';
import { startTestServer } from '../../helpers/server.js';
import { validateNotebooks } from '../../helpers/validate-notebook.js';

let server: JupyterServer;
let runsDir: string;
beforeAll(async () => {
  server = await startTestServer();
  runsDir = mkdtempSync(join(tmpdir(), 'flow-two-node-'));
});
afterAll(async () => {
  await server?.stop();
  rmSync(runsDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

const readNb = (p: string) => JSON.parse(readFileSync(p, 'utf8')) as Notebook;
const text = (c: CodeCell) => (Array.isArray(c.source) ? c.source.join('') : c.source);

describe('a two-node workflow on a real kernel', () => {
  it("runs both notebooks in order, passing the first one's output to the second", async () => {
    const { workflow } = await loadWorkflow(join(fixturesDir, 'two-node', 'wf.yml'));
    const params = resolveRunParams(workflow, { params: { rows: '21' } });
    const plan = buildPlan(workflow);
    const runId = '20261126T093000Z-test';
    const runDir = await createRunDir(runsDir, workflow.name, runId);
    const ledger = await RunLedger.open({ runDir, workflow });
    const events: RunEvent[] = [];
    const executor = createKernelExecutor({ server });
    const summary = await runPlan(plan, {
      executor,
      params,
      runId,
      runDir,
      expressions,
      emit: (ev) => {
        events.push(ev);
        ledger.handle(ev);
      },
    });
    await executor.close?.();
    await ledger.close();

    expect(summary.exitCode).toBe(0);
    expect(summary.nodes.count?.outputs).toEqual({ total: 42 });
    expect(summary.nodes.report?.outputs).toEqual({ doubled: 84 });
    const started = events.filter((e) => e.type === 'node_started').map((e) => (e as { node: string }).node);
    expect(started).toEqual(['count', 'report']);

    // The injected cell follows the parameters cell, typed as declared.
    const count = readNb(join(runDir, 'count.ipynb'));
    const injected = count.cells[2] as CodeCell;
    expect(injected.metadata.tags).toEqual(['injected-parameters']);
    expect(text(injected)).toBe(`# Parameters\nrows = 21\nlabel = "rows of ${runId}"\n`);
    const printed = (count.cells[3] as CodeCell).outputs[0];
    expect(printed).toMatchObject({ output_type: 'stream', name: 'stdout' });
    expect(printed && 'text' in printed ? [printed.text].flat().join('') : '').toBe(`rows of ${runId}: 42\n`);

    const report = readNb(join(runDir, 'report.ipynb'));
    expect(text(report.cells[1] as CodeCell)).toBe('# Parameters\nn = 42\n');
    const result = (report.cells[2] as CodeCell).outputs[0];
    expect(result?.output_type).toBe('execute_result');
    expect(result && 'data' in result ? [result.data['text/plain']].flat().join('') : '').toBe('84');
    expect(report.metadata.papermill).toMatchObject({ parameters: { n: 42 }, exception: null });

    const record = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
    expect(record.status).toBe('succeeded');
    expect(record.nodes.count.status).toBe('succeeded');
    expect(record.nodes.report.outputs).toEqual({ doubled: 84 });
    await validateNotebooks([join(runDir, 'count.ipynb'), join(runDir, 'report.ipynb')]);
  });
});
