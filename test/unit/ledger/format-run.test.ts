// `flow show`: values in full, the reporters' counts wording, abandoned runs, reused notebooks.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withCarriedNotebooks } from '../../../src/run/carry-over.js';
import { initialRunState, reduceRunState, type NodeState, type RunState } from '../../../src/events/run-state.js';
import { runPlan } from '../../../src/engine/scheduler.js';
import { formatRun } from '../../../src/report/format-run.js';
import type { RunRecord } from '../../../src/ledger/run-record.js';
import { FakeExecutor } from '../../helpers/fake-executor.js';
import { fakeExpressions } from '../engine/fake-expressions.js';
import { makeWorkflow, planOf } from '../engine/plan-fixture.js';

const runDir = '/tmp/ex/runs/wf/20261126T103517Z-d0ec';

function node(id: string, n: Partial<NodeState> = {}): NodeState {
  return { id, notebook: `/nb/${id}.ipynb`, status: 'succeeded', attempts: [], lastOutput: [], ...n };
}

function record(nodes: NodeState[], r: Partial<RunRecord> = {}): RunRecord {
  return {
    ...initialRunState(),
    runId: '20261126T103517Z-d0ec',
    workflow: 'wf',
    workflowFile: '/wf/wf.yml',
    runDir,
    params: { year: 2025 },
    startedAt: '2026-11-26T10:35:17.000Z',
    status: 'succeeded',
    exitCode: 0,
    durationMs: 1200,
    nodes: Object.fromEntries(nodes.map((n) => [n.id, n])),
    schemaVersion: 1,
    flowVersion: '9.9.9',
    workflowHash: 'h',
    workflowSnapshot: { nodes: {} } as unknown as RunRecord['workflowSnapshot'],
    updatedAt: '2026-11-26T10:35:18.200Z',
    ...r,
  };
}

/** The pid of a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

describe('formatRun values', () => {
  it('keeps short values on one line', () => {
    const text = formatRun(record([node('a', { outputs: { n: 2, name: 'x' } })]));
    expect(text).toContain('params    year=2025\n');
    expect(text).toContain('\na     succeeded\n      outputs: n=2, name="x"\n');
  });

  it('shows long paths in full, one value a line aligned under the first', () => {
    const ref = `${runDir}/work/reference_data_with_a_long_name.csv`;
    const out = `${runDir}/work/cleaned_students_and_modules.parquet`;
    const text = formatRun(
      record([node('load_reference_data', { outputs: { reference_path: ref, rows: 1200, out_path: out } })], {
        params: { dir: ref, year: 2025 },
      }),
    );
    expect(text).toContain(`params    dir="${ref}"\n          year=2025\n`);
    const pad = ' '.repeat('load_reference_data'.length + 2);
    const lines = text.split('\n');
    const at = lines.indexOf(`${pad}outputs: reference_path="${ref}"`);
    expect(at, text).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 3)).toEqual([`${pad}         rows=1200`, `${pad}         out_path="${out}"`]);
    expect(text).not.toContain('…');
  });

  it('cuts a dict or list past 500 characters, saying so', () => {
    const rows = Array.from({ length: 200 }, (_, i) => i);
    const full = JSON.stringify(rows);
    const text = formatRun(record([node('a', { outputs: { rows, path: 'x'.repeat(600) } })]));
    expect(text).toContain(`rows=${full.slice(0, 499)}… (cut from ${full.length} characters; \`flow show --json\` prints it whole)\n`);
    expect(text).toContain(`path="${'x'.repeat(600)}"\n`);
  });

  it("counts nodes in the reporters' words", () => {
    const text = formatRun(
      record(
        [node('a', { status: 'failed' }), node('b', { status: 'upstream_failed', skip: { kind: 'upstream_failed', upstream: ['a'] } })],
        { status: 'failed', exitCode: 1 },
      ),
    );
    expect(text).toContain('nodes     1 failed, 1 upstream failed\n');
    expect(text).not.toContain('upstream_failed,');
  });

  it('lists matrix instances with their params in full and their notebooks', () => {
    const dir = `${runDir}/inputs/a_directory_with_a_long_name_for_the_matrix_instance`;
    const inst = node('m', { params: { dir }, notebookPath: `${runDir}/m.0.ipynb` });
    const text = formatRun(record([node('m', { instances: [inst] })]));
    expect(text).toContain(`\nm     succeeded\n      [0] succeeded  dir="${dir}"  ${runDir}/m.0.ipynb\n`);
  });
});

describe('formatRun of a run left running', () => {
  const running = (r: Partial<RunRecord>) =>
    record([node('a', { status: 'running' })], { status: 'running', exitCode: undefined, durationMs: undefined, ...r });

  it('calls a run whose flow process is gone abandoned, and says how to continue it', () => {
    const text = formatRun(running({ pid: deadPid(), host: hostname() }));
    expect(text.split('\n').slice(0, 2)).toEqual([
      'run 20261126T103517Z-d0ec  wf  abandoned',
      'abandoned: flow stopped without recording the end of the run (killed?); continue it with `flow resume 20261126T103517Z-d0ec`',
    ]);
  });

  it('keeps running when the process lives, runs elsewhere, or was not recorded', () => {
    for (const r of [{ pid: process.pid, host: hostname() }, { pid: deadPid(), host: `not-${hostname()}` }, {}]) {
      expect(formatRun(running(r)).split('\n')[0]).toBe('run 20261126T103517Z-d0ec  wf  running');
    }
  });
});

describe('reused nodes in a resumed run', () => {
  it('record the notebooks copied into the new run directory, a matrix node per instance', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flow-carried-'));
    // What carryOverNotebooks copied: a's notebook and m's two instances (gone is missing).
    for (const f of ['a.ipynb', 'm.0.ipynb', 'm.1.ipynb']) writeFileSync(join(dir, f), '{}');
    const wf = makeWorkflow({
      a: { outputs: { n: 'integer' } },
      m: { matrix: { axes: { k: [1, 2] } }, outputs: { n: 'integer' } },
      gone: {},
      b: { needs: ['a', 'm', 'gone'] },
    });
    const plan = planOf(wf);
    const reuse = {
      a: { status: 'succeeded' as const, outputs: { n: 1 } },
      m: { status: 'succeeded' as const, outputs: { n: [1, 2] } },
      gone: { status: 'succeeded' as const },
    };
    let state: RunState = initialRunState();
    const events: string[] = [];
    await runPlan(plan, {
      executor: new FakeExecutor(),
      params: {},
      runId: '20261126T103517Z-d0ec',
      runDir: dir,
      emit: withCarriedNotebooks(dir, plan, reuse, (ev) => {
        state = reduceRunState(state, ev);
        if (ev.type === 'node_finished') events.push(`${ev.node}${ev.instance === undefined ? '' : `[${ev.instance}]`}`);
      }),
      expressions: fakeExpressions,
      reuse,
    });
    expect(events).toEqual(['a', 'm[0]', 'm[1]', 'm', 'gone', 'b']);
    expect(state.nodes.a).toMatchObject({ reused: true, notebookPath: join(dir, 'a.ipynb') });
    expect(state.nodes.m.notebookPath).toBeUndefined();
    expect(state.nodes.m.instances?.map((i) => [i.status, i.reused, i.notebookPath])).toEqual([
      ['succeeded', true, join(dir, 'm.0.ipynb')],
      ['succeeded', true, join(dir, 'm.1.ipynb')],
    ]);
    expect(state.nodes.gone.notebookPath).toBeUndefined();
    const text = formatRun(record(Object.values(state.nodes), { runDir: dir }));
    expect(text).toContain(`\na     succeeded  (reused)\n      outputs: n=1\n      notebook: ${join(dir, 'a.ipynb')}\n`);
    expect(text).toContain(`      [1] succeeded  ${join(dir, 'm.1.ipynb')}\n`);
  });
});
