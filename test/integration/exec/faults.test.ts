// Faults injected into real kernels: cell and notebook timeouts, a cell that prints forever, a
// kernel that exits or is SIGKILLed mid-cell, a kernel that does not start, an unknown kernel.
import { describe, expect, it } from 'vitest';
import type { CodeCell } from '../../../src/notebook/types.js';
import { useTestServer } from '../../helpers/server.js';
import { validateNotebooks } from '../../helpers/validate-notebook.js';
import { fixtureRunner, statuses, summarize } from './run-fixture.js';

const server = useTestServer();
const runner = fixtureRunner(server);

const code = (c: unknown) => c as CodeCell;

describe('executeNotebook under faults', () => {
  it('interrupts a cell that prints forever at its timeout, keeps its output and fails with a timeout', async () => {
    const { result, saved } = await runner.run('prints-forever', { cellTimeoutMs: 1500 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({
      errorClass: 'timeout',
      cell: 0,
      ename: 'CellTimeoutError',
      message: 'a cell timed out: it ran longer than the cell timeout of 1.5s',
    });
    const outputs = summarize(code(saved.cells[2]).outputs) as Record<string, string>[]; // after the banner and anchor
    expect(outputs[0]).toMatchObject({ stream: 'stdout' });
    expect(outputs[0]!.text).toMatch(/^(tick\n)+$/);
    // The kernel was interrupted (its KeyboardInterrupt is there), then the timeout is recorded.
    expect(outputs.slice(1)).toEqual([
      { error: 'KeyboardInterrupt', evalue: '' },
      { error: 'CellTimeoutError', evalue: 'a cell timed out: it ran longer than the cell timeout of 1.5s' },
    ]);
    expect(statuses(saved)).toEqual([undefined, undefined, 'failed']); // papermill's markers carry no status
    expect(saved.metadata.papermill).toMatchObject({ exception: true });
  });

  it('stops the notebook at its whole-notebook timeout: the running cell failed, the rest pending', async () => {
    const { result, saved } = await runner.run('slow-second-cell', { timeoutMs: 2500, cellTimeoutMs: 60_000 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ errorClass: 'timeout', cell: 1, ename: 'CellTimeoutError' });
    expect(result.error.message).toMatch(/^the notebook timed out: it ran longer than its timeout of \d+(\.\d)?s$/);
    // banner, cell 0, anchor, cell 1 (failed), cell 2
    expect(statuses(saved)).toEqual([undefined, 'completed', undefined, 'failed', 'pending']);
    expect((summarize(code(saved.cells[3]).outputs) as { error?: string }[]).map((o) => o.error)).toEqual([
      'KeyboardInterrupt',
      'CellTimeoutError',
    ]);
  });

  it.each(['kernel-dies', 'kernel-killed'])(
    'reports a kernel that dies mid-cell (%s) as kernel_died, without hanging',
    async (name) => {
      const { result, saved } = await runner.run(name);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error).toMatchObject({ errorClass: 'kernel_died', cell: 1, ename: 'DeadKernelError' });
      expect(result.error.message).toMatch(/the kernel died/);
      expect(statuses(saved)).toEqual([undefined, 'completed', undefined, 'failed', 'pending']);
      expect(summarize(code(saved.cells[1]).outputs)).toEqual([{ stream: 'stdout', text: expect.stringMatching(/^about to/) }]);
      expect(code(saved.cells[4]).outputs).toEqual([]);
    },
    20_000,
  );

  it('fails with kernel_start when the kernel does not start in time', async () => {
    const { result, saved } = await runner.run('prints-cwd', {
      getKernel: (kernelName) =>
        import('../../../src/kernel/kernel-session.js').then(({ KernelSession }) =>
          KernelSession.start({ endpoint: server(), kernelName, startTimeoutMs: 50 }),
        ),
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toEqual({
      errorClass: 'kernel_start',
      message: 'kernel "python3" did not start within 50ms\n  raise --start-timeout, or check the kernel with `jupyter kernelspec list`',
    });
    expect(statuses(saved)).toEqual(['pending']);
  });

  it('fails with kernel_start naming the available kernels for an unknown kernel', async () => {
    const { result } = await runner.run('prints-cwd', { kernelName: 'no-such-kernel' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.errorClass).toBe('kernel_start');
    expect(result.error.message).toMatch(/^no kernel named "no-such-kernel" on the Jupyter server\n {2}available kernels: .*python3/);
  });

  it('wrote only notebooks that nbformat validates', async () => {
    await validateNotebooks(runner.written);
  });
});
