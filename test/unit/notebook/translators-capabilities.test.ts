// What a node may ask of its kernel's language: checkKernelRequests, and the load-time errors it gives at the node's line:col.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatDiagnostic, WorkflowError } from '../../../src/errors.js';
import { checkKernelRequests } from '../../../src/notebook/translators/capabilities.js';
import { loadWorkflow } from '../../../src/run/load-workflow.js';

describe('checkKernelRequests', () => {
  test('every built-in language sets env and reads variables', () => {
    for (const language of ['python', 'R', 'julia', 'bash']) {
      expect(checkKernelRequests({ language, env: ['A'], outputs: { x: 'string', y: 'any' } })).toEqual([]);
    }
  });

  test('bash: only string, list and object outputs; only shell names in env', () => {
    expect(checkKernelRequests({ language: 'bash', env: ['OK', 'NOT-OK'], outputs: { n: 'integer', l: 'list' } })).toEqual([
      {
        field: 'env',
        name: 'NOT-OK',
        message: 'sets env NOT-OK, which a bash kernel cannot set: it is not a valid variable name there',
        hint: 'use letters, digits and "_", not starting with a digit',
      },
      {
        field: 'outputs',
        name: 'n',
        message: 'declares output "n" as integer, but flow reads bash variables as string, list, object only',
        hint: 'declare it string, list, object or any',
      },
    ]);
  });

  test('a language flow has no translator for cannot take env; its outputs may still be scraps', () => {
    expect(checkKernelRequests({ language: 'scala', env: ['A'], outputs: { x: 'integer' } })).toEqual([
      {
        field: 'env',
        name: 'A',
        message: 'sets env A, but flow cannot set environment variables in a scala kernel',
        hint: 'set it in the notebook itself, or in the environment flow runs in',
      },
    ]);
  });

  test('the kernel name picks the translator first, as for parameters', () => {
    expect(checkKernelRequests({ language: 'scala', kernelName: 'pysparkkernel', env: ['A'], outputs: {} })).toEqual([]);
  });
});

describe('loading a workflow that asks a language for what it cannot do', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flow-capabilities-'));
  const notebook = (language: string) =>
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: language, language, display_name: language } },
      cells: [{ cell_type: 'code', id: 'c1', metadata: {}, source: 'echo hi', outputs: [], execution_count: null }],
    });
  writeFileSync(join(dir, 'job.ipynb'), notebook('bash'));
  writeFileSync(join(dir, 'other.ipynb'), notebook('scala'));

  async function errorsOf(yaml: string): Promise<string[]> {
    const file = join(dir, 'wf.yml');
    writeFileSync(file, yaml);
    try {
      await loadWorkflow(file);
      return [];
    } catch (e) {
      if (e instanceof WorkflowError) return e.diagnostics.map((d) => formatDiagnostic(d).replace(`${dir}/`, ''));
      throw e;
    }
  }

  test('errors at the key of the output or env entry', async () => {
    const yaml = [
      'name: t',
      'nodes:',
      '  job:',
      '    notebook: job.ipynb',
      '    env: { GOOD: "1", BAD-NAME: "2" }',
      '    outputs:',
      '      rows: integer',
      '      names: list',
      '  other:',
      '    notebook: other.ipynb',
      '    env:',
      '      A: "1"',
      '',
    ].join('\n');
    expect(await errorsOf(yaml)).toEqual([
      'wf.yml:5:23: node "job" sets env BAD-NAME, which a bash kernel cannot set: it is not a valid variable name there — use letters, digits and "_", not starting with a digit',
      'wf.yml:7:7: node "job" declares output "rows" as integer, but flow reads bash variables as string, list, object only — declare it string, list, object or any',
      'wf.yml:12:7: node "other" sets env A, but flow cannot set environment variables in a scala kernel — set it in the notebook itself, or in the environment flow runs in',
    ]);
  });

  test('env from defaults is reported at the node', async () => {
    const yaml = 'name: t\ndefaults:\n  env: { A: "1" }\nnodes:\n  other:\n    notebook: other.ipynb\n';
    expect(await errorsOf(yaml)).toEqual([
      'wf.yml:6:5: node "other" sets env A, but flow cannot set environment variables in a scala kernel — set it in the notebook itself, or in the environment flow runs in',
    ]);
  });
});
