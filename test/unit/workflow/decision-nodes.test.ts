// Decision nodes at load: what they may hold, what their `when`s may read, and each mistake's line:col.
import { describe, expect, test } from 'vitest';
import { parseWorkflow } from '../../../src/run/load-workflow.js';
import { workflowDiagnostics } from '../../helpers/workflow-diagnostics.js';

const errorsOf = workflowDiagnostics;

const head = `name: t
params:
  limit: { type: integer, default: 0 }
nodes:
  audit: { notebook: a.ipynb, outputs: { failures: integer, status: string } }
  publish: { notebook: p.ipynb }
  quarantine: { notebook: q.ipynb }
`;

const gate = (extra: string, when = 'nodes.audit.outputs.failures > params.limit') =>
  `${head}  gate:\n    needs: audit\n${extra}    next:\n      - { when: '${when}', goto: quarantine }\n      - { goto: publish }\n`;

test('a node with `next` and no notebook is a decision node: no notebook, its `when` typed on upstream outputs', async () => {
  const { workflow, warnings } = await parseWorkflow(gate('    params: { note: x }\n'), '/w/wf.yml', { checkNotebooks: false });
  expect(warnings).toEqual([]);
  const g = workflow.nodes.gate!;
  expect(g.notebook).toBeUndefined();
  expect(g.notebookAsWritten).toBeUndefined();
  expect(g.params).toEqual({ note: 'x' });
  expect(g.next[0]!.when!.types).toEqual({ 'nodes.audit.outputs.failures': 'integer', 'params.limit': 'integer' });
});

test('kernel, timeout and the like from `defaults:` do not make a decision node wrong', async () => {
  const yaml = gate('').replace('nodes:\n', 'defaults: { kernel: python3, timeout: 10m, env: { A: b } }\nnodes:\n');
  expect(await errorsOf(yaml)).toEqual([]);
});

const table: [string, string, string[]][] = [
  [
    'no notebook and no next',
    `${head}  gate: { needs: audit, if: nodes.audit.outputs.failures > 0 }\n`,
    [
      'wf.yml:8:3: node "gate" has no notebook: a decision node needs `next:` — add `notebook:` to run one, or `next:` to choose a branch from upstream outputs',
    ],
  ],
  [
    'outputs on a decision node',
    gate('    outputs: { verdict: string }\n'),
    [
      'wf.yml:10:5: node "gate" is a decision node, which runs no notebook: drop `outputs` — its `next` reads upstream outputs as nodes.<id>.outputs.<name>',
    ],
  ],
  [
    'matrix, kernel and timeout on a decision node',
    gate('    matrix: { x: [1, 2] }\n    kernel: python3\n    timeout: 10s\n'),
    [
      'wf.yml:10:5: node "gate" is a decision node, which runs no notebook: drop `matrix` — or give it a `notebook:` to run; a decision node takes needs, params, if, run_if, next and continue_on_error',
      'wf.yml:11:5: node "gate" is a decision node, which runs no notebook: drop `kernel` — or give it a `notebook:` to run; a decision node takes needs, params, if, run_if, next and continue_on_error',
      'wf.yml:12:5: node "gate" is a decision node, which runs no notebook: drop `timeout` — or give it a `notebook:` to run; a decision node takes needs, params, if, run_if, next and continue_on_error',
    ],
  ],
  [
    'env, cwd, retry and cell_timeout on a decision node',
    gate('    env: { A: b }\n    cwd: x\n    retry: { attempts: 2 }\n    cell_timeout: 1s\n'),
    ['10:5: drop `env`', '11:5: drop `cwd`', '12:5: drop `retry`', '13:5: drop `cell_timeout`'],
  ],
  [
    'outputs.* in a decision node’s when',
    gate('', 'outputs.failures > 0'),
    [
      'wf.yml:11:18: node "gate" next[0].when: a decision node runs no notebook, so it has no outputs.* — read it from upstream as nodes.audit.outputs.failures',
    ],
  ],
  [
    'outputs.* that no upstream node declares',
    gate('', 'outputs.verdict == "ok"'),
    [
      'wf.yml:11:18: node "gate" next[0].when: a decision node runs no notebook, so it has no outputs.* — read an upstream node\'s outputs as nodes.<id>.outputs.verdict',
    ],
  ],
  [
    'a node that is not upstream',
    gate('', 'nodes.publish.status == "succeeded"'),
    [
      'wf.yml:11:24: node "gate" next[0].when: reads node "publish", which is not upstream of node "gate" — add "publish" to the needs of "gate"',
    ],
  ],
  [
    'an undeclared upstream output, with did-you-mean',
    gate('', 'nodes.audit.outputs.failure > 0'),
    ['wf.yml:11:38: node "gate" next[0].when: node "audit" declares no output "failure" — did you mean "failures"?'],
  ],
];

describe('decision node mistakes', () => {
  test.each(table)('%s', async (_name, yaml, expected) => {
    const errors = await errorsOf(yaml);
    if (expected.every((e) => e.startsWith('wf.yml:'))) expect(errors).toEqual(expected);
    else {
      // `line:col: words`: each error at that place, saying those words.
      expect(errors).toHaveLength(expected.length);
      for (const [i, e] of expected.entries()) {
        const [at, words] = e.split(/: (.*)/);
        expect(errors[i]!.startsWith(`wf.yml:${at}: `)).toBe(true);
        expect(errors[i]).toContain(words);
      }
    }
  });
});
