// Ctrl-C and SIGTERM on a real run (cancel.yml: quick → wait → after, `wait` never ends by
// itself): the running kernel is interrupted, the partial notebook saved, every unfinished node
// recorded `cancelled`, the server stopped, and flow exits 130 (143 for SIGTERM).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  makeSandbox,
  readEvents,
  readNotebook,
  readRun,
  statuses,
  validateNotebooks,
  waitForFile,
  type Sandbox,
} from '../fixtures/e2e/harness.js';
import { formatProcesses, jupyterProcesses, waitForNoJupyter } from '../helpers/processes.js';

describe('flow run: interrupted', () => {
  let box: Sandbox | undefined;
  afterEach(() => box?.cleanup());

  /** Starts cancel.yml and resolves once `wait`'s kernel is inside its endless cell. */
  async function startAndWaitForNode(detached: boolean, stubborn = false) {
    box = makeSandbox();
    const proc = box.flow(['run', box.workflow('cancel'), '-p', `dir=${box.dir}`, '-p', `stubborn=${stubborn ? 'True' : 'False'}`], {
      detached,
    });
    await waitForFile(join(box.dir, 'wait.started'), proc);
    return { box, proc, pid: proc.pid! };
  }

  it('Ctrl-C (SIGINT to the process group, as a terminal sends it): exit 130, cancelled, partial notebook saved', async () => {
    const { box, proc, pid } = await startAndWaitForNode(true);
    // What must be stopped: the server, the running kernel and one pre-warmed for `after`.
    expect(new Set(jupyterProcesses(pid).map((p) => p.kind))).toEqual(
      new Set(['jupyter-server', 'kernel', ...(process.env.FLOW_FORK === '0' ? [] : ['fork-server'])]),
    );
    process.kill(-pid, 'SIGINT');
    const result = await proc;
    expect(result.exitCode, String(result.all)).toBe(130);
    expect(String(result.all)).toContain(
      'SIGINT: stopping — interrupting running notebooks and saving them; press Ctrl-C again to exit at once',
    );
    expect(String(result.all)).toMatch(/■ run cancelled in .*: 1 succeeded, 2 cancelled/);

    const [runDir] = box.runDirs('cancel');
    const run = readRun(runDir);
    expect(run.status).toBe('cancelled');
    expect(run.exitCode).toBe(130);
    expect(statuses(run)).toEqual({ quick: 'succeeded', wait: 'cancelled', after: 'cancelled' });
    expect(run.nodes.after.attempts).toEqual([]);
    expect(readEvents(runDir).at(-1)).toMatchObject({ type: 'run_finished', status: 'cancelled', exitCode: 130 });
    // The report is written after Ctrl-C too, saying so.
    expect(readFileSync(join(runDir, 'report.html'), 'utf8')).toMatch(/<h1>cancel <span class="status s-cancelled">/);

    // The partial notebook: valid, the interrupted cell failed with KeyboardInterrupt, the rest pending.
    validateNotebooks([join(runDir, 'wait.ipynb'), join(runDir, 'quick.ipynb')]);
    const nb = readNotebook(join(runDir, 'wait.ipynb'));
    const waiting = nb.cells.findIndex((c) => c.source.includes('while not'));
    expect(nb.cells.slice(0, waiting).map((c) => c.status)).toEqual(Array(waiting).fill('completed'));
    expect(nb.cells[waiting].status).toBe('failed');
    expect(nb.cells[waiting].outputs.map((o) => o.ename)).toContain('KeyboardInterrupt');
    expect(nb.cells[waiting + 1].status).toBe('pending');
    expect(nb.papermill.exception).toBe(true);
    expect(box.trace()).toEqual(['quick:1', 'wait']);

    const left = jupyterProcesses(pid);
    expect(left, formatProcesses(left)).toEqual([]);
  });

  it('SIGTERM: exit 143, the run recorded cancelled with exit code 143, nothing left running', async () => {
    const { box, proc, pid } = await startAndWaitForNode(false);
    process.kill(pid, 'SIGTERM');
    const result = await proc;
    expect(result.exitCode, String(result.all)).toBe(143);
    const run = readRun(box.runDirs('cancel')[0]);
    expect(run).toMatchObject({ status: 'cancelled', exitCode: 143 });
    expect(statuses(run)).toEqual({ quick: 'succeeded', wait: 'cancelled', after: 'cancelled' });
    const left = jupyterProcesses(pid);
    expect(left, formatProcesses(left)).toEqual([]);
  });

  it("a second Ctrl-C exits at once, recording why; the server's watchdog then stops the server and kernels", async () => {
    // `wait`'s kernel ignores interrupts, so after the first Ctrl-C flow is still stopping it
    // (seconds) when the second arrives. Both go to flow alone: the server and kernel must then
    // go because flow is gone, not because of the signal.
    const { box, proc, pid } = await startAndWaitForNode(false, true);
    const notice = 'SIGINT: stopping — interrupting running notebooks and saving them; press Ctrl-C again to exit at once';
    const noticed = new Promise<void>((resolve) => {
      let seen = '';
      proc.all!.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (seen.includes(notice)) resolve();
      });
    });
    process.kill(pid, 'SIGINT');
    await noticed;
    expect(readRun(box.runDirs('cancel')[0]).nodes.wait.status).toBe('running');
    process.kill(pid, 'SIGINT');
    const result = await proc;
    expect(result.exitCode, String(result.all)).toBe(130);
    const run = readRun(box.runDirs('cancel')[0]);
    expect(run).toMatchObject({ status: 'cancelled', exitCode: 130 });
    expect(statuses(run)).toEqual({ quick: 'succeeded', wait: 'cancelled', after: 'cancelled' });
    expect(run.logs.map((l) => l.message)).toContain(
      'a second SIGINT stopped flow at once, before it had stopped the running kernels and saved their notebooks a last time',
    );
    const left = await waitForNoJupyter(pid, 15_000);
    expect(left, formatProcesses(left)).toEqual([]);
  });
});
