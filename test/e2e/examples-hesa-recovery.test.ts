// workflows/hesa-return.yml when load_reference_data's "service" fails: a retry that succeeds, an
// outage that fails the run, and `flow resume` repairing that run once the outage is over.
// These runs use 300 students: the data does not matter here, only which nodes run, and it
// keeps the three runs cheap.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateNotebooks } from '../helpers/validate-notebook.js';
import { flow, HESA_CLEAN_STATUSES, readNotebook, statuses, type RunJson } from '../helpers/example-run.js';

let tmp: string;
let runsDir: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'flow-examples-recovery-'));
  runsDir = join(tmp, 'runs');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));

const OUTAGE = 'ConnectionError: reference data service unavailable (HESA_REFERENCE_OUTAGE is set: unset it, then `flow resume` the run)';

describe('workflows/hesa-return.yml: retries and resume', () => {
  it('flaky_failures=1: load_reference_data fails once, is retried, and the run takes the clean branch', async () => {
    const work = join(tmp, 'work');
    const { exitCode, run, stdout } = await flow(
      ['run', 'workflows/hesa-return.yml', '-p', 'flaky_failures=1', '-p', 'students=300', '-p', `workdir=${work}`],
      runsDir,
    );
    expect(exitCode, stdout).toBe(0);
    expect(statuses(run)).toEqual(HESA_CLEAN_STATUSES);
    const load = run.nodes.load_reference_data!;
    expect(load.attempts.map((a) => a.error?.errorClass ?? 'ok')).toEqual(['error', 'ok']);
    expect(load.attempts[0]!.error).toMatchObject({
      ename: 'ConnectionError',
      evalue: 'reference data service unavailable (simulated failure 1 of 1)',
    });
    expect(load.outputs).toMatchObject({ attempts_used: 2 });
    expect(stdout).toContain(
      'load_reference_data attempt 1/4 failed: cell 7 (In [5]): ConnectionError: reference data service unavailable (simulated failure 1 of 1) — retrying in 1s',
    );

    // Each attempt keeps its notebook: the first one shows the error, the last one succeeded.
    const first = join(run.runDir, 'load_reference_data.attempt-1.ipynb');
    const last = join(run.runDir, 'load_reference_data.ipynb');
    expect(load.attempts.map((a) => a.notebookPath)).toEqual([first, last]);
    const failed = readNotebook(first);
    expect(failed.metadata.papermill).toMatchObject({ exception: true });
    expect(failed.cells.flatMap((c) => c.outputs ?? []).find((o) => o.output_type === 'error')).toMatchObject({ ename: 'ConnectionError' });
    expect(readNotebook(last).metadata.papermill).toMatchObject({ exception: null });
    await validateNotebooks([first, last]);
  }, 180_000);

  it('an outage fails the run (exit 1, downstream upstream_failed); once it is over, flow resume repairs the run', async () => {
    const work = join(tmp, 'work');
    const failed = await flow(['run', 'workflows/hesa-return.yml', '-p', 'students=300', '-p', `workdir=${work}`], runsDir, {
      HESA_REFERENCE_OUTAGE: '1',
    });
    expect(failed.exitCode, failed.stdout).toBe(1);
    const before: RunJson = failed.run;
    expect(before.status).toBe('failed');
    expect(statuses(before)).toEqual({
      generate: 'succeeded', // in parallel with load_reference_data
      load_reference_data: 'failed',
      extract: 'upstream_failed',
      validate: 'upstream_failed',
      error_report: 'upstream_failed',
      build_xml: 'upstream_failed',
      check_xml: 'upstream_failed',
      summary: 'upstream_failed',
    });
    const load = before.nodes.load_reference_data!;
    expect(load.attempts.map((a) => `${a.error?.ename}: ${a.error?.evalue}`)).toEqual(Array(4).fill(OUTAGE));
    expect(before.nodes.extract!.skip).toEqual({ kind: 'upstream_failed', upstream: ['load_reference_data'] });
    expect(before.nodes.summary!.skip).toEqual({ kind: 'upstream_failed', upstream: ['error_report', 'check_xml'] });
    expect(failed.stdout).toContain(`✖ load_reference_data failed in `);
    expect(failed.stdout).toContain(`after 4 attempts: cell 7 (In [5]): ${OUTAGE}`);
    expect(
      readdirSync(before.runDir)
        .filter((f) => f.startsWith('load_reference_data'))
        .sort(),
    ).toEqual([
      'load_reference_data.attempt-1.ipynb',
      'load_reference_data.attempt-2.ipynb',
      'load_reference_data.attempt-3.ipynb',
      'load_reference_data.ipynb',
    ]);
    // The failed notebook carries papermill's error banner and marks the failing cell.
    const nb = readNotebook(join(before.runDir, 'load_reference_data.ipynb'));
    expect(nb.cells.some((c) => c.metadata.tags?.includes('papermill-error-cell-tag'))).toBe(true);
    expect(nb.cells.filter((c) => c.metadata.papermill?.status === 'failed')).toHaveLength(1);

    // The outage is over (the variable is unset): resume re-runs what failed and what never ran,
    // with the run's own params, and reuses generate, whose files stay in the first run's folder.
    const resumed = await flow(['resume', before.runId], runsDir);
    expect(resumed.exitCode, resumed.stdout).toBe(0);
    const after = resumed.run;
    expect(after.runId).not.toBe(before.runId);
    expect(after.resumedFrom).toBe(before.runId);
    expect(after.params).toEqual(before.params);
    expect(statuses(after)).toEqual(HESA_CLEAN_STATUSES);
    expect(after.nodes.generate).toMatchObject({ reused: true, outputs: before.nodes.generate!.outputs });
    expect(after.nodes.extract!.params).toMatchObject({ raw_dir: join(work, before.runId, 'raw') });
    expect(after.nodes.load_reference_data!.attempts).toHaveLength(1);
    expect(after.nodes.extract!.outputs).toMatchObject({ students_extracted: 300, extract_dir: join(work, after.runId, 'extract') });
    expect(after.nodes.summary!.outputs).toMatchObject({ outcome: 'ready_to_submit' });
    expect(resumed.stdout).toContain(`resuming ${before.runId}`);
    expect(resumed.stdout).toContain('✔ generate succeeded (reused from an earlier run)');
    // The resumed run's directory is complete on its own: the reused notebook is copied in.
    expect(existsSync(join(after.runDir, 'generate.ipynb'))).toBe(true);
    await validateNotebooks(
      readdirSync(after.runDir)
        .filter((f) => f.endsWith('.ipynb'))
        .map((f) => join(after.runDir, f)),
    );
  }, 240_000);
});
