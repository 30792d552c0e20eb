// flow killed with SIGKILL mid-run (resume.yml: a → b → c, killed while b waits), then
// `flow resume`: the watchdog stops the orphaned server and kernels, run.json survives, and
// the resume re-runs b and c with the run's frozen params while reusing a without executing it.
// It refuses when a's notebook changed since, unless --force.
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/ledger/run-record.js';
import { makeSandbox, readNotebook, readRun, statuses, validateNotebooks, waitForFile, type Sandbox } from '../fixtures/e2e/harness.js';
import { formatProcesses, jupyterProcesses, waitForNoJupyter } from '../helpers/processes.js';

describe('flow resume after flow was killed (SIGKILL)', () => {
  let box: Sandbox;
  let flowPid: number;
  let killedDir: string;
  let killedId: string;
  let stepNotebook: string;
  let stepOriginal: string;

  beforeAll(async () => {
    box = makeSandbox();
    stepNotebook = join(box.dir, 'notebooks', 'step.ipynb');
    stepOriginal = readFileSync(stepNotebook, 'utf8');
    const proc = box.flow(['run', box.workflow('resume'), '-p', `dir=${box.dir}`, '-p', 'tag=first']);
    flowPid = proc.pid!;
    await waitForFile(join(box.dir, 'b.started'), proc);
    proc.kill('SIGKILL');
    const result = await proc;
    expect(result.signal).toBe('SIGKILL');
    [killedDir] = box.runDirs('resume-after-kill');
    killedId = basename(killedDir);
  });
  afterAll(() => box?.cleanup());

  /** Puts a's notebook back as the run saw it, or changes it (a comment cell more). */
  function setStepNotebook(changed: boolean): void {
    if (!changed) return writeFileSync(stepNotebook, stepOriginal);
    const nb = JSON.parse(stepOriginal) as { cells: unknown[] };
    nb.cells.push({ cell_type: 'markdown', id: 'added', metadata: {}, source: 'A note added after the run.' });
    writeFileSync(stepNotebook, JSON.stringify(nb));
  }

  it('the watchdog stops the orphaned Jupyter server and kernels', async () => {
    const left = await waitForNoJupyter(flowPid, 15_000);
    expect(left, formatProcesses(left)).toEqual([]);
  });

  it('run.json holds what had happened: a succeeded with its outputs, b running, c pending', () => {
    const run = readRun(killedDir);
    expect(run.status).toBe('running');
    // Recorded so that `flow runs` can tell that flow is gone (the run is abandoned).
    expect(run).toMatchObject({ pid: flowPid, host: hostname() });
    expect(statuses(run)).toEqual({ a: 'succeeded', b: 'running', c: 'pending' });
    expect(run.nodes.a.outputs).toEqual({ result: 2 });
    expect(run.params).toEqual({ dir: box.dir, tag: 'first' });
    expect(box.trace()).toEqual(['a:1', 'b']);
  });

  it("refuses to resume when a succeeded node's notebook changed, saying what changed (exit 2)", async () => {
    setStepNotebook(true);
    const result = await box.flow(['resume', killedId]);
    setStepNotebook(false);
    expect(result.exitCode, String(result.all)).toBe(2);
    // execa strips the final newline.
    expect(result.stderr).toBe(
      `error: run ${killedId} cannot be resumed: the workflow changed since it ran\n` +
        `  - node "a": notebook ../notebooks/step.ipynb changed since run ${killedId}\n` +
        'Start a new run with `flow run`, or pass --force to reuse the recorded outputs anyway.',
    );
  });

  it('refuses at once when the workflow now requires a param the run was started without (exit 2)', async () => {
    const wf = box.workflow('resume');
    const original = readFileSync(wf, 'utf8');
    writeFileSync(wf, original.replace('params:\n', 'params:\n  owner: { type: string }\n'));
    try {
      const result = await box.flow(['resume', killedId]);
      expect(result.exitCode, String(result.all)).toBe(2);
      expect(result.stderr).toBe(
        `error: run ${killedId} cannot be resumed: the workflow now requires param "owner", which the run was started without\n` +
          `Start a new run with \`flow run ${wf} -p owner=…\`.`,
      );
      expect(box.runDirs('resume-after-kill'), 'no run directory for a refused resume').toHaveLength(1);
    } finally {
      writeFileSync(wf, original);
    }
  });

  it('resumes: re-runs b and c in a new run directory, reuses a without executing it', async () => {
    writeFileSync(join(box.dir, 'release'), '');
    const result = await box.flow(['resume', killedId]);
    expect(result.exitCode, String(result.all)).toBe(0);
    const dirs = box.runDirs('resume-after-kill');
    expect(dirs, 'the refused resume made no run directory').toHaveLength(2);
    const resumedDir = dirs[1];
    const run: RunRecord = readRun(resumedDir);
    expect(run).toMatchObject({ status: 'succeeded', exitCode: 0, resumedFrom: killedId, params: { dir: box.dir, tag: 'first' } });
    expect(statuses(run)).toEqual({ a: 'succeeded', b: 'succeeded', c: 'succeeded' });
    expect(run.nodes.a).toMatchObject({ reused: true, outputs: { result: 2 }, attempts: [], notebookPath: join(resumedDir, 'a.ipynb') });
    // c read a's recorded output (2 → 4) and the frozen tag.
    expect(run.nodes.c.outputs).toEqual({ result: 4 });
    expect(box.trace()).toEqual(['a:1', 'b', 'b', 'c-first:2']);

    // The new directory is complete evidence: a's notebook copied as it was executed.
    expect(readFileSync(join(resumedDir, 'a.ipynb'), 'utf8')).toBe(readFileSync(join(killedDir, 'a.ipynb'), 'utf8'));
    validateNotebooks(['a', 'b', 'c'].map((n) => join(resumedDir, `${n}.ipynb`)));
    expect(readNotebook(join(resumedDir, 'c.ipynb')).papermill.parameters).toMatchObject({ label: 'c-first', value: 2 });
    // The killed run's record is left as it was.
    expect(statuses(readRun(killedDir))).toEqual({ a: 'succeeded', b: 'running', c: 'pending' });
  });

  it('--force resumes despite the change, still reusing a', async () => {
    setStepNotebook(true);
    const result = await box.flow(['resume', killedId, '--force']);
    setStepNotebook(false);
    expect(result.exitCode, String(result.all)).toBe(0);
    expect(result.stderr).toContain(`warning: resuming run ${killedId} despite changes (--force):\n  - node "a": notebook`);
    const run = readRun(box.runDirs('resume-after-kill')[2]);
    expect(run.nodes.a.reused).toBe(true);
    expect(statuses(run)).toEqual({ a: 'succeeded', b: 'succeeded', c: 'succeeded' });
    expect(box.trace().filter((l) => l.startsWith('a:'))).toEqual(['a:1']);
  });

  it('a run that succeeded has nothing to resume, and starts nothing', async () => {
    const resumedId = basename(box.runDirs('resume-after-kill')[1]);
    const result = await box.flow(['resume', resumedId]);
    expect(result.exitCode, String(result.all)).toBe(0);
    expect(result.stdout).toBe(`run ${resumedId} already succeeded: nothing to resume`);
    expect(box.runDirs('resume-after-kill')).toHaveLength(3);
  });

  it('flow runs and flow show read the runs back', async () => {
    const runs = await box.flow(['runs', 'resume-after-kill']);
    expect(runs.exitCode).toBe(0);
    // execa strips the final newline; the table, a blank line, then what abandoned means.
    const [table, hint] = String(runs.stdout).split('\n\n');
    expect(
      table
        .split('\n')
        .slice(1)
        .map((l) => l.split(/\s+/).slice(1, 3)),
    ).toEqual([
      ['resume-after-kill', 'succeeded'],
      ['resume-after-kill', 'succeeded'],
      ['resume-after-kill', 'abandoned'],
    ]);
    expect(hint).toBe(
      `abandoned: flow stopped without recording the end of the run (killed?); continue it with \`flow resume ${killedId}\``,
    );
    const resumedId = basename(box.runDirs('resume-after-kill')[1]);
    const show = await box.flow(['show', resumedId]);
    expect(show.exitCode).toBe(0);
    expect(show.stdout).toContain(`resumes   ${killedId}`);
    expect(show.stdout).toMatch(/^a\s+succeeded.*\(reused\)$/m);
    expect(show.stdout).toContain(`notebook: ${join(box.runDirs('resume-after-kill')[1], 'a.ipynb')}`);
    expect(jupyterProcesses(flowPid)).toEqual([]);
  });
});
