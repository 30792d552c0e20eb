// defaults.params, vars and YAML merge keys: written once, checked where they are written.
import { describe, expect, it } from 'vitest';
import { describePlanRun } from '../../../src/engine/describe-plan.js';
import { formatDiagnostic, WorkflowError } from '../../../src/errors.js';
import { buildPlan } from '../../../src/graph/build-plan.js';
import { evaluateCondition, renderTemplate } from '../../../src/workflow/evaluate-expr.js';
import { parseWorkflow } from '../../../src/workflow/load-workflow.js';

async function load(yaml: string) {
  return (await parseWorkflow(yaml, '/w/wf.yml', { displayName: 'wf.yml' })).workflow;
}

async function errorsOf(yaml: string): Promise<string[]> {
  try {
    await load(yaml);
    return [];
  } catch (e) {
    if (e instanceof WorkflowError) return e.diagnostics.map(formatDiagnostic);
    throw e;
  }
}

const base = `name: s
params:
  workdir: { default: work }
  limit: { default: 3 }
vars:
  dir: \${{ params.workdir }}/\${{ run.id }}
  doubled: \${{ params.limit * 2 }}
  label: fixed
defaults:
  params:
    workdir: \${{ vars.dir }}
    label: \${{ vars.label }}
nodes:
  a:
    notebook: a.ipynb
    outputs: { n: integer }
  b:
    notebook: b.ipynb
    needs: [a]
    params:
      label: own
      n: \${{ nodes.a.outputs.n + vars.doubled }}
`;

describe('defaults.params and vars', () => {
  it("merge defaults.params into every node, a node's own value winning, with vars rendered once per run", async () => {
    const wf = await load(base);
    expect(wf.nodes.a!.params).toEqual({ workdir: '${{ vars.dir }}', label: '${{ vars.label }}' });
    expect(wf.nodes.b!.params).toMatchObject({ workdir: '${{ vars.dir }}', label: 'own' });
    const planned = describePlanRun(buildPlan(wf), { workdir: 'work', limit: 3 }, { evaluateCondition, renderTemplate }, { runId: 'R1' });
    expect(planned[0]!.params).toEqual({ workdir: 'work/R1', label: 'fixed' });
    expect(planned[1]!.params).toMatchObject({ workdir: 'work/R1', label: 'own' });
  });

  it('check every new mistake where it was written, with did-you-mean', async () => {
    const broken = base
      .replace('workdir: ${{ vars.dir }}', 'workdir: ${{ vars.dri }}')
      .replace('doubled: ${{ params.limit * 2 }}', 'doubled: ${{ nodes.a.outputs.n }}');
    expect(await errorsOf(broken)).toEqual([
      'wf.yml:7:16: vars.doubled: vars are set when the run starts: they can read params and run, not nodes — read the node in the node params that need it',
      'wf.yml:11:23: node "a" params.workdir: unknown var "dri" — did you mean "dir"?',
      'wf.yml:11:23: node "b" params.workdir: unknown var "dri" — did you mean "dir"?',
    ]);
  });
});

describe('YAML merge keys', () => {
  it('merge an anchored mapping into nodes, and positions point where the merged value was written', async () => {
    const yaml = `name: s
x-audit: &audit
  notebook: a.ipynb
  params:
    rows: \${{ params.nope }}
nodes:
  one:
    <<: *audit
  two:
    <<: *audit
    notebook: b.ipynb
`;
    expect(await errorsOf(yaml)).toEqual([
      'wf.yml:5:22: node "one" params.rows: unknown param "nope" — declare it under params:',
      'wf.yml:5:22: node "two" params.rows: unknown param "nope" — declare it under params:',
    ]);
    const wf = await load(yaml.replace('${{ params.nope }}', '3'));
    expect(wf.nodes.one!.notebookAsWritten).toBe('a.ipynb');
    expect(wf.nodes.two!.notebookAsWritten).toBe('b.ipynb');
    expect(wf.nodes.two!.params).toEqual({ rows: 3 });
  });
});

describe('matrix include and exclude', () => {
  it('drop the combinations an exclude matches, extend those an include matches, and add the others', async () => {
    const { expandMatrixCombos } = await import('../../../src/workflow/matrix-combos.js');
    expect(
      expandMatrixCombos({
        axes: { os: ['linux', 'mac'], py: [3.11, 3.12] },
        exclude: [{ os: 'mac', py: 3.11 }],
        include: [
          { os: 'linux', extra: true },
          { os: 'windows', py: 3.12 },
        ],
      }),
    ).toEqual([
      { os: 'linux', py: 3.11, extra: true },
      { os: 'linux', py: 3.12, extra: true },
      { os: 'mac', py: 3.12 },
      { os: 'windows', py: 3.12 },
    ]);
  });
});

describe('matrix values in params', () => {
  const yaml = (param: string, extra = '') => `name: s
nodes:
  a:
    notebook: a.ipynb
    matrix: { coef: [1, 2] }
    params: { p: "${param}" }${extra}
  b:
    notebook: b.ipynb
    needs: [a]
`;
  it('are checked where they are written: an unknown key (with did-you-mean), a node with no matrix, a condition', async () => {
    expect(await errorsOf(yaml('${{ matrix.cof }}'))).toEqual([
      'wf.yml:6:30: node "a" params.p: the matrix of node "a" has no "cof" — did you mean "coef"?',
    ]);
    expect(await errorsOf(yaml('x', '\n    if: matrix.coef == 1'))).toEqual([
      'wf.yml:7:9: node "a" if: matrix.* can only be read in the params (and notebook:) of a matrix node — read the instances downstream as nodes.<id>.by',
    ]);
    expect(await errorsOf(yaml('x').replace('needs: [a]', 'needs: [a]\n    params: { q: "${{ matrix.coef }}" }'))).toEqual([
      'wf.yml:10:23: node "b" params.q: node "b" has no matrix — add `matrix:` to the node',
    ]);
    expect(await errorsOf(yaml('${{ matrix.coef }}'))).toEqual([]);
  });

  it('evaluate in CEL with the instance values', () => {
    const ctx = {
      params: {},
      nodes: {},
      run: { id: 'r', date: 'd', started_at: 's', logical_date: new Date(0), trigger: 'manual', lineage_id: 'r' },
      matrix: { coef: 1.25, name: 'x' },
    };
    expect(renderTemplate({ s: '${{ matrix.coef * 10.0 }}', t: 'n-${{ matrix.name }}' }, ctx)).toEqual({ s: 12.5, t: 'n-x' });
  });
});
