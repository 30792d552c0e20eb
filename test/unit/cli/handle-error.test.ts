// One handler turns every error into a message and an exit code: a bug in flow gets its own.
import { describe, expect, it } from 'vitest';
import { handleError } from '../../../src/cli/handle-error.js';
import { ExitCode, JupyterServerError, ResumeRefusedError, UsageError, WorkflowError } from '../../../src/errors.js';

function handled(err: unknown): { code: number; text: string } {
  let text = '';
  const code = handleError(err, (s) => {
    text += s;
  });
  return { code, text };
}

describe('handleError', () => {
  it('gives an error flow did not expect exit code 70, its stack, and a line asking to report it', () => {
    const { code, text } = handled(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(code).toBe(ExitCode.internal);
    expect(code).not.toBe(ExitCode.nodeFailed);
    expect(text).toMatch(/^flow: internal error: TypeError: Cannot read properties/);
    expect(text).toMatch(/\n\s+at /); // the stack, for the report
    expect(text).toContain('This is a bug in flow, not in your workflow: please report it');
  });

  it('prints a FlowError without a stack, with its own exit code', () => {
    expect(handled(new UsageError('-p rows: expected NAME=VALUE', 'e.g. -p period=P2'))).toEqual({
      code: 2,
      text: 'error: -p rows: expected NAME=VALUE — e.g. -p period=P2\n',
    });
    expect(handled(new JupyterServerError('no Jupyter')).code).toBe(1);
    expect(handled(new ResumeRefusedError('run x cannot be resumed')).code).toBe(2);
  });

  it('lists every diagnostic of a WorkflowError and how many there are', () => {
    const { code, text } = handled(
      new WorkflowError([{ severity: 'error', message: 'nodes: the workflow has no nodes', pos: { file: 'wf.yml', line: 3, col: 1 } }]),
    );
    expect(code).toBe(2);
    expect(text).toBe(
      'wf.yml:3:1: nodes: the workflow has no nodes\n1 error in the workflow; fix it and try again (flow validate checks without running)\n',
    );
  });
});
