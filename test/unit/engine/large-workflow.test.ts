// Large workflows end to end without kernels: YAML → Workflow → Plan → run on the fake executor,
// with the real CEL expressions. bench/scheduling-overhead.mjs times this; here only results count.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExpressionFunctions } from '../../../src/engine/run-options.js';
import { WorkflowError } from '../../../src/errors.js';
import { buildPlan } from '../../../src/graph/build-plan.js';
import { evaluateCondition, renderTemplate } from '../../../src/workflow/evaluate-expr.js';
import { loadWorkflow, parseWorkflow } from '../../../src/run/load-workflow.js';
import { harness } from './harness.js';

const expressions: ExpressionFunctions = { evaluateCondition, renderTemplate };

/** Every node outputs n = x + 1 (x its param, 0 without). */
const addOne = (req: { params: Record<string, unknown> }) => ({ outputs: { n: Number(req.params.x ?? 0) + 1 } });

const FAN = 996;

/**
 * 2,000 nodes: `start`, a chain c1…c999 (each reads the previous node and `start`, 998 hops up at
 * the end), `decide` branching to `big` or `small`, a fan f0…f995 after the chain whose `if` lets
 * only odd ones run, and `join` after all of them. `edit` changes a node's line (for errors).
 */
function chainAndFan(edit: (id: string, line: string) => string = (_, l) => l): string {
  const lines = ['name: large', 'params:', '  base: { type: integer, default: 1 }', 'nodes:'];
  const node = (id: string, body: string) => lines.push(edit(id, `  ${id}: { notebook: n.ipynb, ${body} }`));
  node('start', 'params: { x: "${{ params.base }}" }, outputs: { n: integer }');
  for (let i = 1; i < 1000; i++) {
    const prev = i === 1 ? 'start' : `c${i - 1}`;
    node(
      `c${i}`,
      `needs: [${prev}], params: { x: "\${{ nodes.${prev}.outputs.n }}", root: "\${{ nodes.start.outputs.n }}" }, outputs: { n: integer }`,
    );
  }
  node(
    'decide',
    'needs: [c999], params: { x: "${{ nodes.c999.outputs.n }}" }, outputs: { n: integer }, ' +
      'next: [{ when: "outputs.n > nodes.start.outputs.n * 500", goto: big }, { goto: small }]',
  );
  node('big', 'outputs: { n: integer }');
  node('small', 'outputs: { n: integer }');
  for (let j = 0; j < FAN; j++) {
    node(
      `f${j}`,
      `needs: [c999], if: "nodes.c999.outputs.n % 2 == ${j % 2} && nodes.start.outputs.n == params.base + 1", ` +
        `params: { x: "\${{ nodes.c999.outputs.n }}", k: ${j} }, outputs: { n: integer }`,
    );
  }
  const fans = Array.from({ length: FAN }, (_, j) => `f${j}`);
  node('join', `needs: [${fans.join(', ')}, big, small], params: { x: "\${{ nodes.f1.outputs.n + nodes.start.outputs.n }}" }`);
  return `${lines.join('\n')}\n`;
}

function writeWorkflow(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'flow-large-'));
  const nb = {
    cells: [
      { cell_type: 'code', source: 'x = 0\nroot = 0\nk = 0', metadata: { tags: ['parameters'] }, outputs: [], execution_count: null },
    ],
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  writeFileSync(join(dir, 'n.ipynb'), JSON.stringify(nb));
  writeFileSync(join(dir, 'large.yml'), text);
  return join(dir, 'large.yml');
}

describe('a generated 2,000-node workflow (chain + fan)', () => {
  it('loads, plans in file order and runs with the right values, branches and skips', async () => {
    const { workflow, warnings } = await loadWorkflow(writeWorkflow(chainAndFan()));
    expect(warnings).toEqual([]);
    const ids = Object.keys(workflow.nodes);
    expect(ids).toHaveLength(2000);
    // Every node's id in `workflow.nodes` text order is also a valid topological order here.
    const plan = buildPlan(workflow);
    expect(plan.order).toEqual(ids);
    expect(plan.warnings).toEqual([]);
    expect(plan.branchParents.big).toEqual(['decide']);
    expect(plan.branchParents.small).toEqual(['decide']);
    expect(plan.upstream.join).toHaveLength(FAN + 2);
    expect(plan.downstream.c999).toEqual(['decide', ...Array.from({ length: FAN }, (_, j) => `f${j}`)]);

    const script = Object.fromEntries(ids.map((id) => [id, addOne]));
    const h = harness(plan, script);
    const summary = await h.run({ expressions, params: { base: 1 } });
    expect(summary.exitCode).toBe(0);

    const count = (status: string) => Object.values(summary.nodes).filter((n) => n.status === status).length;
    expect(count('succeeded')).toBe(1 + 999 + 2 + FAN / 2 + 1);
    expect(count('skipped')).toBe(1 + FAN / 2);
    // start n=2, c_i n=i+2: the chain passes values down 999 nodes; `root` reads start from afar.
    expect(h.executor.callsOf('c999')[0]!.params).toEqual({ x: 1000, root: 2 });
    expect(summary.nodes.decide.outputs).toEqual({ n: 1002 });
    expect(summary.nodes.big.status).toBe('succeeded');
    expect(summary.nodes.small.skip).toEqual({
      kind: 'branch_not_taken',
      by: 'decide',
      chose: 'big',
      because: 'outputs.n > nodes.start.outputs.n * 500',
      operands: { 'outputs.n': 1002, 'nodes.start.outputs.n': 2 },
      rejected: [],
    });
    expect(summary.nodes.f0.skip).toEqual({
      kind: 'condition_false',
      expression: 'nodes.c999.outputs.n % 2 == 0 && nodes.start.outputs.n == params.base + 1',
      operands: { 'nodes.c999.outputs.n': 1001, 'nodes.start.outputs.n': 2, 'params.base': 1 },
    });
    expect(summary.nodes.f995.outputs).toEqual({ n: 1002 });
    expect(h.executor.callsOf('f995')[0]!.params).toEqual({ x: 1001, k: 995 });
    expect(h.executor.callsOf('join')[0]!.params).toEqual({ x: 1004 });
  });

  it('still says which expression reads a node that is not upstream of it', async () => {
    const text = chainAndFan((id, line) => {
      if (id === 'f995') return line.replace('x: "${{ nodes.c999.outputs.n }}"', 'x: "${{ nodes.f994.outputs.n }}"');
      if (id === 'c500') return line.replace('root: "${{ nodes.start.outputs.n }}"', 'root: "${{ nodes.c600.outputs.n }}"');
      return line;
    });
    const err = await parseWorkflow(text, '/wf/large.yml', { checkNotebooks: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowError);
    expect((err as WorkflowError).diagnostics.map((d) => `${d.pos?.line}: ${d.message} — ${d.hint}`)).toEqual([
      '505: node "c500" params.root: reads node "c600", which is not upstream of node "c500" — add "c600" to the needs of "c500"',
      '2003: node "f995" params.x: reads node "f994", which is not upstream of node "f995" — add "f994" to the needs of "f995"',
    ]);
  });
});

describe('a 10,000-node plan on the fake executor', () => {
  it('runs every node once, after its needs, with the values its templates read', async () => {
    // Layers of 100; each node needs two nodes of the layer before and reads the first one's output.
    const N = 10_000;
    const lines = ['name: huge', 'concurrency: 8', 'params:', '  base: { type: integer, default: 1 }', 'nodes:'];
    const needsOf = (i: number): number[] => {
      const layer = Math.floor(i / 100);
      return layer === 0 ? [] : [i - 100, (layer - 1) * 100 + ((i + 1) % 100)];
    };
    for (let i = 0; i < N; i++) {
      const needs = needsOf(i);
      const x = needs.length ? `nodes.n${needs[0]}.outputs.n` : 'params.base';
      // Layer 50's conditions read the node 50 layers up (100 far reads, each of its own node).
      const cond = Math.floor(i / 100) === 50 ? `, if: "nodes.n${i - 5000}.outputs.n == 2"` : '';
      const needsText = needs.length ? `, needs: [${needs.map((n) => `n${n}`).join(', ')}]` : '';
      lines.push(`  n${i}: { notebook: n.ipynb, params: { x: "\${{ ${x} }}" }, outputs: { n: integer }${needsText}${cond} }`);
    }
    const { workflow } = await parseWorkflow(`${lines.join('\n')}\n`, '/wf/huge.yml', { checkNotebooks: false });
    const plan = buildPlan(workflow);
    expect(plan.order).toHaveLength(N);

    const h = harness(plan, Object.fromEntries(plan.order.map((id) => [id, addOne])));
    const summary = await h.run({ expressions, params: { base: 1 } });
    expect(summary.exitCode).toBe(0);
    expect(Object.values(summary.nodes).every((n) => n.status === 'succeeded')).toBe(true);
    expect(h.executor.calls).toHaveLength(N);
    expect(h.executor.maxRunning).toBe(8);
    // Layer L receives x = L + 1 (layer 0 gets base = 1).
    for (const call of h.executor.calls) expect(call.params.x).toBe(Math.floor(Number(call.node.slice(1)) / 100) + 1);

    const finishedAt = new Map<string, number>();
    for (const [i, e] of h.events.entries()) if (e.type === 'node_finished') finishedAt.set(e.node, i);
    const startedAt = new Map<string, number>();
    for (const [i, e] of h.events.entries()) if (e.type === 'node_started') startedAt.set(e.node, i);
    for (let i = 0; i < N; i++) {
      for (const need of needsOf(i)) expect(finishedAt.get(`n${need}`)!).toBeLessThan(startedAt.get(`n${i}`)!);
    }
  });
});
