// `flow run` with faults on real kernels: a kernel that dies in attempt 1 and lives in
// attempt 2, and a node that hits its timeout, side by side in one run (one server, 5 kernels).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/ledger/run-record.js';
import { makeSandbox, readEvents, readNotebook, readRun, statuses, validateNotebooks, type Sandbox } from '../fixtures/e2e/harness.js';
import { formatProcesses, jupyterProcesses } from '../helpers/processes.js';

describe('flow run: faults on real kernels (faults.yml)', () => {
  let box: Sandbox;
  let exitCode: number | undefined;
  let output: string;
  let flowPid: number;
  let runDir: string;
  let run: RunRecord;

  beforeAll(async () => {
    box = makeSandbox();
    const proc = box.flow(['run', box.workflow('faults'), '-p', `dir=${box.dir}`]);
    flowPid = proc.pid!;
    const result = await proc;
    exitCode = result.exitCode;
    output = String(result.all);
    [runDir] = box.runDirs('faults');
    run = readRun(runDir);
  });
  afterAll(() => box?.cleanup());

  it('exits 1 because a node failed, and says which', () => {
    expect(exitCode, output).toBe(1);
    expect(output).toMatch(/✖ slow failed in .*CellTimeoutError: the notebook timed out/);
    expect(run.status).toBe('failed');
    expect(run.exitCode).toBe(1);
    expect(statuses(run)).toEqual({ flaky: 'succeeded', after_flaky: 'succeeded', slow: 'failed', after_slow: 'upstream_failed' });
  });

  it('records the evidence: workflow hash, params, durations; events.ndjson from run_started to run_finished', () => {
    expect(run.workflowHash).toBe(
      createHash('sha256')
        .update(readFileSync(box.workflow('faults')))
        .digest('hex'),
    );
    expect(run.params).toEqual({ dir: box.dir });
    for (const id of ['flaky', 'after_flaky', 'slow']) expect(run.nodes[id].durationMs).toBeGreaterThan(0);
    const events = readEvents(runDir);
    expect([events[0].type, events.at(-1)?.type]).toEqual(['run_started', 'run_finished']);
    expect(events.at(-1)).toMatchObject({ status: 'failed', exitCode: 1, counts: { succeeded: 2, failed: 1, upstream_failed: 1 } });
  });

  it('retries a node whose kernel died: 2 attempts in run.json, each with its own notebook', () => {
    const flaky = run.nodes.flaky;
    expect(flaky.attempts.map((a) => [a.attempt, a.error?.errorClass])).toEqual([
      [1, 'kernel_died'],
      [2, undefined],
    ]);
    expect(flaky.attempts.map((a) => a.notebookPath)).toEqual([join(runDir, 'flaky.attempt-1.ipynb'), join(runDir, 'flaky.ipynb')]);
    expect(flaky.outputs).toEqual({ survived: true });
    // The notebook really ran twice, and the downstream node got to run once, after it.
    expect(box.trace()).toContain('after_flaky:5');
    expect(box.trace().filter((l) => l === 'flaky')).toHaveLength(2);
    expect(run.nodes.after_flaky.outputs).toEqual({ result: 10 });

    const events = readEvents(runDir).filter((e) => 'node' in e && e.node === 'flaky');
    const retried = events.find((e) => e.type === 'attempt_failed');
    expect(retried).toMatchObject({
      attempt: 1,
      error: { errorClass: 'kernel_died' },
      notebookPath: join(runDir, 'flaky.attempt-1.ipynb'),
      retryInMs: 100,
    });
  });

  it("keeps the dead attempt's notebook: the cell that killed the kernel failed, later ones pending", () => {
    validateNotebooks([join(runDir, 'flaky.attempt-1.ipynb'), join(runDir, 'flaky.ipynb'), join(runDir, 'slow.ipynb')]);
    const dead = readNotebook(join(runDir, 'flaky.attempt-1.ipynb'));
    const killer = dead.cells.findIndex((c) => c.source.includes('os._exit(1)'));
    expect(dead.cells[killer].status).toBe('failed');
    expect(dead.cells[killer].outputs.map((o) => o.ename)).toContain('DeadKernelError');
    expect(dead.cells[killer + 1].status).toBe('pending');
    expect(dead.papermill.exception).toBe(true);

    const final = readNotebook(join(runDir, 'flaky.ipynb'));
    expect(final.cells.filter((c) => c.source.trim() !== '').map((c) => c.status)).not.toContain('failed');
    expect(final.papermill.exception).toBeFalsy();
  });

  it('fails a node at its timeout (timeout: 2s), with no retry, and runs nothing after it', () => {
    const slow = run.nodes.slow;
    expect(slow.attempts).toHaveLength(1);
    expect(slow.error).toMatchObject({ errorClass: 'timeout', ename: 'CellTimeoutError' });
    expect(slow.error?.message).toMatch(/^the notebook timed out/);
    expect(run.nodes.after_slow.skip).toEqual({ kind: 'upstream_failed', upstream: ['slow'] });
    expect(box.trace()).not.toContain('after_slow:1');
    expect(existsSync(join(runDir, 'after_slow.ipynb'))).toBe(false);

    const nb = readNotebook(join(runDir, 'slow.ipynb'));
    const waiting = nb.cells.findIndex((c) => c.source.includes('while not'));
    expect(nb.cells[waiting].status).toBe('failed');
    expect(nb.cells[waiting].outputs.map((o) => o.ename)).toContain('CellTimeoutError');
    expect(nb.cells[waiting - 1].tags).toEqual(['papermill-error-cell-tag']);
  });

  it('leaves no Jupyter server or kernel behind', () => {
    const left = jupyterProcesses(flowPid);
    expect(left, formatProcesses(left)).toEqual([]);
  });
});
