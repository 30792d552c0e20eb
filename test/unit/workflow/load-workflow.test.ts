// The Workflow a valid file becomes, and inline tables of what each mistake is reported as.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadWorkflow, parseWorkflow } from '../../../src/run/load-workflow.js';
import { workflowDiagnostics } from '../../helpers/workflow-diagnostics.js';

const dir = resolve('test/fixtures/workflows');

describe('a valid workflow', async () => {
  const { workflow, warnings } = await loadWorkflow('test/fixtures/workflows/hesa-return.yml');

  test('has an absolute file, the sha256 of its text, params and concurrency', () => {
    expect(warnings).toEqual([]);
    expect(workflow.file).toBe(`${dir}/hesa-return.yml`);
    expect(workflow.hash).toBe(createHash('sha256').update(readFileSync(workflow.file)).digest('hex'));
    expect(workflow.concurrency).toBe(4);
    expect(workflow.params.year).toMatchObject({ type: 'integer', default: 2025, required: false, description: 'Academic year' });
    expect(workflow.params.period).toMatchObject({ type: 'string', enum: ['P1', 'P2', 'P3'] });
    expect(Object.keys(workflow.nodes)).toEqual(['extract', 'validate', 'error_report', 'build_xml', 'summary', 'alert']);
  });

  test('merges defaults under each node, field by field for retry', () => {
    const { extract, build_xml, alert } = workflow.nodes;
    expect(extract!.notebook).toBe(`${dir}/notebooks/extract.ipynb`);
    expect(extract!).toMatchObject({ kernel: 'python3', timeout: 1_800_000, cellTimeout: 600_000 });
    expect(extract!.retry).toEqual({ attempts: 3, delay: 2000, backoff: 2, maxDelay: 60_000, on: ['kernel_died', 'timeout'] });
    expect(build_xml!.retry).toEqual({ attempts: 5, delay: 2000, backoff: 2, maxDelay: 60_000, on: ['kernel_died', 'timeout'] });
    expect(build_xml!.timeout).toBe(90_000);
    expect(alert).toMatchObject({
      runIf: 'one_failed',
      continueOnError: true,
      cwd: `${dir}/notebooks`,
      env: { ALERT_LEVEL: '2', CHANNEL: 'data-team' },
    });
    expect(workflow.nodes.validate!.next.map((b) => [b.when?.source, b.goto])).toEqual([
      ['outputs.errors > 0', 'error_report'],
      [undefined, 'build_xml'],
    ]);
    expect(workflow.nodes.validate!.next[0]!.when!.types).toEqual({ 'outputs.errors': 'integer' });
  });

  test('is deeply immutable', () => {
    expect(Object.isFrozen(workflow)).toBe(true);
    expect(Object.isFrozen(workflow.nodes.extract!.retry.on)).toBe(true);
    expect(Object.isFrozen(workflow.nodes.extract!.params)).toBe(true);
  });
});

test('without a retry block a node gets the default policy', async () => {
  const { workflow } = await parseWorkflow('name: x\nnodes:\n  a: { notebook: a.ipynb }\n', '/w/x.yml', { checkNotebooks: false });
  expect(workflow.nodes.a!.retry).toEqual({
    attempts: 1,
    delay: 1000,
    backoff: 2,
    maxDelay: 60_000,
    on: ['kernel_died', 'timeout', 'kernel_start', 'server_lost'],
  });
  expect(workflow.nodes.a!).toMatchObject({
    notebook: '/w/a.ipynb',
    runIf: 'none_failed_min_one_success',
    continueOnError: false,
    needs: [],
    env: {},
  });
});

const errorsOf = workflowDiagnostics;

const head =
  'name: t\nparams:\n  n: { type: integer, default: 1 }\n  r: { type: number, default: 0.5 }\n  s: { enum: [a, b], default: a }\nnodes:\n';

const table: [string, string, string[]][] = [
  ['not a mapping', '- a\n- b\n', ['wf.yml:1:1: a workflow must be a mapping — start with `name:` and `nodes:`']],
  [
    'missing name and nodes',
    'description: x\n',
    ['wf.yml:1:1: the workflow: missing required key "name"', 'wf.yml:1:1: the workflow: missing required key "nodes"'],
  ],
  [
    'bad workflow name',
    'name: Hesa Return\nnodes: { a: { notebook: a.ipynb } }\n',
    ['wf.yml:1:7: name: "Hesa Return" is not a valid workflow name — use lowercase letters, digits, "-" and "_"'],
  ],
  ['no nodes', 'name: t\nnodes: {}\n', ['wf.yml:2:8: nodes: the workflow has no nodes']],
  [
    'needs as a string',
    `${head}  a: { notebook: a.ipynb }\n  b: { notebook: b.ipynb, needs: c }\n`,
    ['wf.yml:8:34: node "b" needs unknown node "c" — known nodes: a, b'],
  ],
  ['needs itself', `${head}  a: { notebook: a.ipynb, needs: [a] }\n`, ['wf.yml:7:35: node "a" needs itself']],
  ['goto itself', `${head}  a: { notebook: a.ipynb, next: [{ goto: a }] }\n`, ['wf.yml:7:42: node "a" cannot go to itself']],
  ['concurrency 0', 'name: t\nconcurrency: 0\nnodes: { a: { notebook: a.ipynb } }\n', ['wf.yml:2:14: concurrency: 0 is less than 1']],
  [
    'wrong type',
    `${head}  a: { notebook: a.ipynb, continue_on_error: yes }\n`,
    ['wf.yml:7:46: nodes.a.continue_on_error: expected true or false, got "yes"'],
  ],
  [
    'param name not an identifier',
    'name: t\nparams: { my-param: { default: 1 } }\nnodes: { a: { notebook: a.ipynb } }\n',
    ['wf.yml:2:11: param name "my-param" is not an identifier — notebooks receive params as variables: use letters, digits and "_"'],
  ],
  [
    'required with a default',
    'name: t\nparams: { p: { default: 1, required: true } }\nnodes: { a: { notebook: a.ipynb } }\n',
    ['wf.yml:2:38: params.p: a required param cannot have a default — drop `required: true` or the default'],
  ],
  [
    'enum value of the wrong type',
    'name: t\nparams: { p: { type: integer, enum: [1, two] } }\nnodes: { a: { notebook: a.ipynb } }\n',
    ['wf.yml:2:41: params.p.enum: "two" is not an integer'],
  ],
  [
    'unknown run field',
    `${head}  a: { notebook: a.ipynb, if: run.day == "x" }\n`,
    ['wf.yml:7:35: node "a" if: unknown field run.day — run has id, date, started_at, logical_date, trigger, lineage_id'],
  ],
  [
    'unknown node in an expression',
    `${head}  a: { notebook: a.ipynb, if: nodes.b.status == "succeeded" }\n`,
    ['wf.yml:7:37: node "a" if: unknown node "b" — known nodes: a'],
  ],
  [
    'nodes.x has only outputs and status',
    `${head}  a: { notebook: a.ipynb }\n  b: { notebook: b.ipynb, needs: [a], if: nodes.a.output.x > 1 }\n`,
    ['wf.yml:8:51: node "b" if: nodes.a has no field "output" — use nodes.a.outputs.<name> or nodes.a.status'],
  ],
  [
    'undeclared output',
    `${head}  a: { notebook: a.ipynb, outputs: { rows: integer } }\n  b: { notebook: b.ipynb, needs: [a], params: { x: "\${{ nodes.a.outputs.row }}" } }\n`,
    ['wf.yml:8:73: node "b" params.x: node "a" declares no output "row" — did you mean "rows"?'],
  ],
  [
    'double param with an int operation',
    `${head}  a: { notebook: a.ipynb, if: params.r + 1 > 2 }\n`,
    ['wf.yml:7:31: node "a" if: no such overload: double + int'],
  ],
  [
    'a non-literal regex',
    `${head}  a: { notebook: a.ipynb, if: params.s.matches(params.s) }\n`,
    ['wf.yml:7:31: node "a" if: matches() needs a literal pattern — write a literal pattern without nested repetition'],
  ],
  [
    'a regex that can backtrack for ever',
    `${head}  a: { notebook: a.ipynb, if: 'params.s.matches("(a+)+$")' }\n`,
    [
      'wf.yml:7:49: node "a" if: the pattern "(a+)+$" nests quantifiers and could run for ever — write a literal pattern without nested repetition',
    ],
  ],
  [
    'too deep',
    `${head}  a: { notebook: a.ipynb, if: "${'('.repeat(40)}true${')'.repeat(40)}" }\n`,
    ['wf.yml:7:64: node "a" if: invalid expression: Exceeded maxDepth (32)'],
  ],
  [
    'too long',
    `${head}  a: { notebook: a.ipynb, if: "${'true && '.repeat(300)}true" }\n`,
    ['wf.yml:7:32: node "a" if: the expression is 2404 characters long; the limit is 2000'],
  ],
  [
    'outputs of a node reached through a branch',
    `${head}  a: { notebook: a.ipynb, outputs: { e: integer }, next: [{ when: outputs.e > 0, goto: b }] }\n  b: { notebook: b.ipynb, if: nodes.a.outputs.e > params.n }\n`,
    [],
  ],
  [
    'matrix outputs are lists',
    `${head}  a: { notebook: a.ipynb, matrix: { coef: [1, 2] }, outputs: { e: integer } }\n  b: { notebook: b.ipynb, needs: a, if: nodes.a.outputs.e.size() == 2 }\n`,
    [],
  ],
  [
    'matrix axis that is not a list',
    `${head}  a: { notebook: a.ipynb, matrix: { coef: 3, max_parallel: 2 } }\n`,
    ['wf.yml:7:43: nodes.a.matrix.coef: expected a list of values, got 3'],
  ],
];

describe('inline workflows', () => {
  test.each(table)('%s', async (_name, yaml, expected) => {
    expect(await errorsOf(yaml)).toEqual(expected);
  });
});

test('fork and preload: how kernels start, kept as written; a module name that is not one is an error at its place', async () => {
  const { workflow } = await parseWorkflow(
    'name: x\nfork: false\npreload: [pandas, numpy.linalg]\nnodes:\n  a: { notebook: a.ipynb }\n',
    '/w/x.yml',
    {
      checkNotebooks: false,
    },
  );
  expect(workflow).toMatchObject({ fork: false, preload: ['pandas', 'numpy.linalg'] });
  const plain = await parseWorkflow('name: x\nnodes:\n  a: { notebook: a.ipynb }\n', '/w/x.yml', { checkNotebooks: false });
  expect(plain.workflow).not.toHaveProperty('fork');
  expect(plain.workflow).not.toHaveProperty('preload');
  const errors = await errorsOf('name: x\npreload: [pandas, "not a module"]\nnodes:\n  a: { notebook: a.ipynb }\n');
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(/^wf\.yml:2:19: preload\[1\]: "not a module"/);
});
