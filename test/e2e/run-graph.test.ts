// `flow run` of a branching, joining and fanning-out workflow on real kernels (graph.yml:
// check → fix | ship → summary, and fan[value=1,2,3] → collect), node selection with --only
// and --from, --dry-run, and the exit code 2 of an invalid workflow or unknown param.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/events/run-event.js';
import type { RunRecord } from '../../src/ledger/run-record.js';
import { makeSandbox, readEvents, readNotebook, readRun, statuses, validateNotebooks, type Sandbox } from '../fixtures/e2e/harness.js';
import { formatProcesses, jupyterProcesses } from '../helpers/processes.js';

let box: Sandbox;
beforeAll(() => {
  box = makeSandbox();
});
afterAll(() => box?.cleanup());

/** The injected-parameters cell's source of an executed notebook. */
function injected(path: string): string {
  return readNotebook(path).cells.find((c) => c.tags.includes('injected-parameters'))?.source ?? '';
}

describe('a branch, its join and a matrix, on real kernels', () => {
  let runDir: string;
  let run: RunRecord;
  let events: RunEvent[];
  let trace: string[];

  beforeAll(async () => {
    const proc = box.flow(['run', box.workflow('graph'), '-p', `dir=${box.dir}`]);
    const result = await proc;
    expect(result.exitCode, String(result.all)).toBe(0);
    expect(jupyterProcesses(proc.pid!), formatProcesses(jupyterProcesses(proc.pid!))).toEqual([]);
    [runDir] = box.runDirs('graph');
    run = readRun(runDir);
    events = readEvents(runDir);
    trace = box.trace();
  });

  it('takes the branch the outputs choose, skips the other with the reason, and runs the join', () => {
    expect(run.status).toBe('succeeded');
    expect(statuses(run)).toEqual({
      check: 'succeeded',
      fix: 'skipped',
      ship: 'succeeded',
      summary: 'succeeded',
      fan: 'succeeded',
      collect: 'succeeded',
    });
    expect(run.nodes.check.branch).toEqual({
      chose: 'ship',
      because: 'otherwise',
      operands: { 'outputs.result': 0 },
      rejected: ['outputs.result > 0'],
    });
    expect(run.nodes.fix.skip).toMatchObject({ kind: 'branch_not_taken', by: 'check', chose: 'ship' });
    expect(trace).not.toContain('fix:1');
    expect(existsSync(join(runDir, 'fix.ipynb'))).toBe(false);
    expect(trace.indexOf('summary:1')).toBeGreaterThan(trace.indexOf('ship:1'));
  });

  it('fans out: one notebook per instance with its value injected, outputs as a list in matrix order', () => {
    const paths = [0, 1, 2].map((i) => join(runDir, `fan.${i}.ipynb`));
    validateNotebooks([...paths, join(runDir, 'collect.ipynb'), join(runDir, 'check.ipynb')]);
    expect(paths.map(injected)).toEqual([1, 2, 3].map((v) => expect.stringContaining(`value = ${v}\n`)));
    expect(trace.filter((l) => l.startsWith('fan:')).sort()).toEqual(['fan:1', 'fan:2', 'fan:3']);
    expect(run.nodes.fan.outputs).toEqual({ result: [2, 4, 6] });
    expect(run.nodes.fan.instances?.map((i) => i.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    // Downstream got the list, in matrix order, whatever order the instances finished in.
    expect(readNotebook(join(runDir, 'collect.ipynb')).papermill.parameters).toMatchObject({ values: [2, 4, 6] });
    expect(run.nodes.collect.outputs).toEqual({ total: 12, count: 3 });
  });

  it('flow resume finds nothing to repair in it (a skipped branch is not a failure)', async () => {
    const result = await box.flow(['resume', runDir]);
    expect(result.exitCode, String(result.all)).toBe(0);
    expect(result.stdout).toBe(`run ${run.runId} already succeeded: nothing to resume`);
    expect(box.runDirs('graph')).toHaveLength(1);
  });

  it('runs at most max_parallel (2) instances at once', () => {
    let running = 0;
    let most = 0;
    for (const e of events) {
      if (!('node' in e) || e.node !== 'fan' || !('instance' in e) || e.instance === undefined) continue;
      if (e.type === 'node_started') most = Math.max(most, ++running);
      if (e.type === 'node_finished') running--;
    }
    expect(most).toBe(2);
  });
});

describe('selecting nodes', () => {
  it('--only runs just those nodes; a branch between them still applies (errors=3 → fix, not ship)', async () => {
    const result = await box.flow([
      'run',
      box.workflow('graph'),
      '-p',
      `dir=${box.dir}`,
      '-p',
      'errors=3',
      '--only',
      'check',
      'fix',
      'ship',
      'summary',
    ]);
    expect(result.exitCode, String(result.all)).toBe(0);
    const run = readRun(box.runDirs('graph').at(-1)!);
    expect(statuses(run)).toEqual({ check: 'succeeded', fix: 'succeeded', ship: 'skipped', summary: 'succeeded' });
    expect(run.nodes.check.outputs).toEqual({ result: 6 });
    expect(run.nodes.ship.skip).toMatchObject({ kind: 'branch_not_taken', by: 'check', chose: 'fix' });
  });

  it('--from runs a node and what is downstream of it; upstream choices outside the run do not apply', async () => {
    const before = box.trace().length;
    const result = await box.flow(['run', box.workflow('graph'), '-p', `dir=${box.dir}`, '--from', 'fix']);
    expect(result.exitCode, String(result.all)).toBe(0);
    const run = readRun(box.runDirs('graph').at(-1)!);
    expect(statuses(run)).toEqual({ fix: 'succeeded', summary: 'succeeded' });
    expect(box.trace().slice(before)).toEqual(['fix:1', 'summary:1']);
  });

  it("--dry-run prints the plan and each node's params, and runs nothing", async () => {
    const runs = box.runDirs('graph').length;
    const before = box.trace().length;
    const result = await box.flow(['run', box.workflow('graph'), '-p', `dir=${box.dir}`, '--dry-run', '--from', 'fix']);
    expect(result.exitCode, String(result.all)).toBe(0);
    expect(result.stdout).toBe(
      [
        'Plan for graph: 2 of 6 nodes (--from fix), concurrency 4; nothing is run.',
        `params: dir=${JSON.stringify(box.dir)} errors=0`,
        '',
        'fix  ../notebooks/step.ipynb',
        '  runs if chosen by: check (outside the run: not applied)',
        `  param trace = ${JSON.stringify(`${box.dir}/trace.txt`)}`,
        '  param label = "fix"',
        '',
        'summary  ../notebooks/step.ipynb',
        '  needs: fix, ship',
        `  param trace = ${JSON.stringify(`${box.dir}/trace.txt`)}`,
        '  param label = "summary"',
        '',
        'not run (outside --from fix): check, ship, fan, collect',
      ].join('\n'),
    );
    const whole = await box.flow(['run', box.workflow('graph'), '-p', `dir=${box.dir}`, '-p', 'errors=2', '--dry-run']);
    expect(whole.exitCode).toBe(0);
    expect(whole.stdout).toContain('check  ../notebooks/step.ipynb\n  param trace');
    expect(whole.stdout).toContain('  param value = 2\n  next: when outputs.result > 0 → fix\n  next: otherwise → ship\n');
    expect(whole.stdout).toContain('  matrix: 3 instances, 2 at a time\n    [0] value = 1\n    [1] value = 2\n    [2] value = 3\n');
    expect(whole.stdout).toContain('  param values = "${{ nodes.fan.outputs.result }}"   (rendered when upstream outputs exist)');
    expect(box.runDirs('graph')).toHaveLength(runs);
    expect(box.trace()).toHaveLength(before);
  });
});

describe('exit code 2, nothing run', () => {
  it('for an invalid workflow, with the position and a did-you-mean', async () => {
    const proc = box.flow(['run', 'workflows/invalid.yml']);
    const result = await proc;
    expect(result.exitCode).toBe(2);
    // The path as given, relative to the current folder (flow runs in the sandbox).
    expect(result.stderr).toBe(
      'workflows/invalid.yml:8:13: node "second" needs unknown node "frst" — did you mean "first"?\n' +
        '1 error in the workflow; fix it and try again (flow validate checks without running)',
    );
    expect(existsSync(join(box.runsDir, 'invalid'))).toBe(false);
    expect(jupyterProcesses(proc.pid!)).toEqual([]);
  });

  it('for -p of an unknown param, with a did-you-mean', async () => {
    const proc = box.flow(['run', box.workflow('graph'), '-p', `dir=${box.dir}`, '-p', 'errros=3']);
    const result = await proc;
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('unknown param "errros" (from -p errros=3) — did you mean "errors"?');
    expect(jupyterProcesses(proc.pid!)).toEqual([]);
  });

  it('for an unknown option, and the server the entry point had started is stopped', async () => {
    // `flow run` starts Jupyter before yargs has parsed anything (early-server.ts).
    const proc = box.flow(['run', box.workflow('graph'), '-p', `dir=${box.dir}`, '--concurency', '2']);
    const result = await proc;
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^error: Unknown argument: concurency — see flow --help$/);
    expect(jupyterProcesses(proc.pid!)).toEqual([]);
  });

  it('for --only of an unknown node, with a did-you-mean', async () => {
    const result = await box.flow(['run', box.workflow('graph'), '-p', `dir=${box.dir}`, '--dry-run', '--only', 'shipp']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('error: --only names unknown node "shipp" — did you mean "ship"?');
  });
});
