// Plans: edges from needs and next, stable topological order, cycles printed, unreachable warned.
import { describe, expect, test } from 'vitest';
import { formatDiagnostic, WorkflowError } from '../../../src/errors.js';
import { buildPlan } from '../../../src/graph/build-plan.js';
import { formatPlan } from '../../../src/graph/format-plan.js';
import { loadWorkflow, parseWorkflow } from '../../../src/run/load-workflow.js';

const load = async (nodes: string) =>
  (await parseWorkflow(`name: t\nnodes:\n${nodes}`, '/w/t.yml', { checkNotebooks: false, displayName: 't.yml' })).workflow;

describe('buildPlan', async () => {
  const { workflow } = await loadWorkflow('test/fixtures/workflows/hesa-return.yml');
  const plan = buildPlan(workflow);

  test('upstream is needs plus branch parents; downstream is its inverse', () => {
    expect(plan.order).toEqual(['extract', 'validate', 'error_report', 'build_xml', 'summary', 'alert']);
    expect(plan.upstream).toEqual({
      extract: [],
      validate: ['extract'],
      error_report: ['validate'],
      build_xml: ['validate'],
      summary: ['error_report', 'build_xml'],
      alert: ['extract', 'validate', 'build_xml'],
    });
    expect(plan.downstream.validate).toEqual(['error_report', 'build_xml', 'alert']);
    expect(plan.branchParents).toMatchObject({ error_report: ['validate'], build_xml: ['validate'], summary: [] });
    expect(plan.warnings).toEqual([]);
  });

  test('the order is topological and otherwise follows the file', async () => {
    const wf = await load('  z: { notebook: z.ipynb, needs: [b] }\n  a: { notebook: a.ipynb }\n  b: { notebook: b.ipynb }\n');
    expect(buildPlan(wf).order).toEqual(['a', 'b', 'z']);
  });

  test.each([
    [
      '  a: { notebook: a.ipynb, needs: [c] }\n  b: { notebook: b.ipynb, needs: [a] }\n  c: { notebook: c.ipynb, needs: [b] }\n',
      ['t.yml:3:3: nodes form a cycle: a → b → c → a — a node cannot wait for itself; remove one of these needs or next entries'],
    ],
    [
      '  a: { notebook: a.ipynb, next: [{ goto: b }] }\n  b: { notebook: b.ipynb, next: [{ goto: a }] }\n  c: { notebook: c.ipynb, needs: [d] }\n  d: { notebook: d.ipynb, needs: [c] }\n',
      [
        't.yml:3:3: nodes form a cycle: a → b → a — a node cannot wait for itself; remove one of these needs or next entries',
        't.yml:5:3: nodes form a cycle: c → d → c — a node cannot wait for itself; remove one of these needs or next entries',
      ],
    ],
  ])('cycles are errors that print the cycle', async (nodes, expected) => {
    const err = (() => {
      try {
        return buildPlan(wfs.get(nodes)!);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(WorkflowError);
    expect((err as WorkflowError).diagnostics.map(formatDiagnostic)).toEqual(expected);
  });
  const wfs = new Map<string, Awaited<ReturnType<typeof load>>>();
  for (const n of [
    '  a: { notebook: a.ipynb, needs: [c] }\n  b: { notebook: b.ipynb, needs: [a] }\n  c: { notebook: c.ipynb, needs: [b] }\n',
    '  a: { notebook: a.ipynb, next: [{ goto: b }] }\n  b: { notebook: b.ipynb, next: [{ goto: a }] }\n  c: { notebook: c.ipynb, needs: [d] }\n  d: { notebook: d.ipynb, needs: [c] }\n',
  ])
    wfs.set(n, await load(n));

  test('a node only reachable through an impossible branch is a warning', async () => {
    const { workflow: wf } = await loadWorkflow('test/fixtures/workflows/unreachable.yml');
    expect(buildPlan(wf).warnings.map(formatDiagnostic)).toEqual([
      'test/fixtures/workflows/unreachable.yml:12:3: warning: node "never" can never run: no branch that can be taken leads to it — a branch after an otherwise branch (one without `when`) is never taken',
    ]);
  });
});

describe('formatPlan', async () => {
  const { workflow } = await loadWorkflow('test/fixtures/workflows/hesa-return.yml');
  const plan = buildPlan(workflow);

  test('ascii lists levels, what each node waits for, and why', () => {
    expect(formatPlan(plan, 'ascii')).toBe(
      [
        'hesa-return: 6 nodes',
        '',
        '[1] extract',
        '[2] validate     ← extract',
        '[3] error_report ← validate (when outputs.errors > 0)',
        '    build_xml    ← validate (otherwise)',
        '[4] summary      ← error_report, build_xml  [if: params.period != "P3" && nodes.validate.outputs.warnings < 10]',
        '    alert        ← extract, validate, build_xml  [run_if: one_failed]',
        '',
      ].join('\n'),
    );
  });

  test('mermaid', () => {
    expect(formatPlan(plan, 'mermaid')).toBe(
      [
        'flowchart TD',
        '  n0["extract"]',
        '  n1["validate"]',
        '  n2["error_report"]',
        '  n3["build_xml"]',
        '  n4["summary"]',
        '  n5["alert"]',
        '  n0 --> n1',
        '  n1 -.->|"when outputs.errors > 0"| n2',
        '  n1 -.->|"otherwise"| n3',
        '  n2 --> n4',
        '  n3 --> n4',
        '  n0 --> n5',
        '  n1 --> n5',
        '  n3 --> n5',
        '',
      ].join('\n'),
    );
  });

  test('dot escapes quotes in labels', async () => {
    const wf = await load(
      '  a: { notebook: a.ipynb, outputs: { s: string }, next: [{ when: \'outputs.s == "x"\', goto: b }] }\n  b: { notebook: b.ipynb }\n',
    );
    expect(formatPlan(buildPlan(wf), 'dot')).toBe(
      [
        'digraph "t" {',
        '  rankdir=TB;',
        '  node [shape=box];',
        '  "a";',
        '  "b";',
        '  "a" -> "b" [label="when outputs.s == \\"x\\"", style=dashed];',
        '}',
        '',
      ].join('\n'),
    );
  });
});
