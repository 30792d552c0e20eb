// workflows/quality-audits.yml end to end through the built CLI with --junit, one run per scenario
// (test/fixtures/examples/expected.md): the gate's verdict picks deploy, notify-then-deploy or block.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateNotebooks } from '../helpers/validate-notebook.js';
import { executedNotebooks, flow, readNotebook, scraps, statuses, type ExampleRun } from '../helpers/example-run.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'flow-examples-audits-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const AUDITS = ['row_counts', 'null_checks', 'referential_integrity', 'freshness', 'distribution_drift'];

/** One run of a scenario with --junit; its JUnit report as testcase name → verdict (and message). */
async function runScenario(scenario: string): Promise<ExampleRun & { junit: Record<string, string>; junitXml: string }> {
  const junitFile = join(tmp, `${scenario}.xml`);
  const r = await flow(
    ['run', 'workflows/quality-audits.yml', '-p', `scenario=${scenario}`, '-p', `workdir=${join(tmp, 'work')}`, '--junit', junitFile],
    join(tmp, 'runs'),
  );
  const junitXml = readFileSync(junitFile, 'utf8');
  const junit: Record<string, string> = {};
  for (const m of junitXml.matchAll(/<testcase name="([^"]+)"[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const body = m[3] ?? '';
    const failure = /<failure message="([^"]*)"/.exec(body);
    junit[m[1]!] = failure ? `failure: ${failure[1]}` : body.includes('<skipped') ? 'skipped' : 'pass';
  }
  return { ...r, junit, junitXml };
}

/** The executed node notebooks (not the run's summary.ipynb). */
const notebooksIn = executedNotebooks;

describe('workflows/quality-audits.yml', () => {
  it('clean: every audit passes, the gate chooses ready_to_deploy; exit 0', async () => {
    const { exitCode, run, stdout, junit, junitXml } = await runScenario('clean');
    expect(exitCode, stdout).toBe(0);
    expect(statuses(run)).toEqual({
      prepare_dataset: 'succeeded',
      ...Object.fromEntries(AUDITS.map((a) => [a, 'succeeded'])),
      audit_gate: 'succeeded',
      block_deployment: 'skipped',
      notify: 'skipped',
      ready_to_deploy: 'succeeded',
    });
    const n = run.nodes;
    const wd = join(tmp, 'work', run.runId);
    expect(n.prepare_dataset!.outputs).toEqual({
      orders_loaded: 5000,
      customers_loaded: 1200,
      dataset_dir: join(wd, 'data'),
      audits_dir: join(wd, 'audits'),
    });
    for (const a of AUDITS) expect(n[a]!.outputs, a).toMatchObject({ status: 'pass' });
    expect(n.row_counts!.outputs!.details).toEqual({ loaded: 5000, baseline: 5000, ratio: 1 });
    expect(n.referential_integrity!.outputs!.details).toEqual({ orders: 5000, orphans: 0, pct: 0 });
    expect(n.audit_gate!.outputs).toEqual({ verdict: 'pass', passed: 5, warned: 0, failed: 0 });
    for (const id of ['block_deployment', 'notify']) {
      expect(n[id]!.skip, id).toMatchObject({ kind: 'branch_not_taken', by: 'audit_gate', chose: 'ready_to_deploy' });
    }
    expect(n.ready_to_deploy!.outputs).toEqual({ ready: true, warnings_acknowledged: 0 });
    expect(existsSync(join(wd, 'deployment', 'READY.json'))).toBe(true);

    expect(junitXml).toContain('<testsuites name="quality-audits" tests="10" failures="0" errors="0" skipped="2"');
    expect(junit).toEqual({
      prepare_dataset: 'pass',
      ...Object.fromEntries(AUDITS.map((a) => [a, 'pass'])),
      audit_gate: 'pass',
      block_deployment: 'skipped',
      notify: 'skipped',
      ready_to_deploy: 'pass',
    });
    const nbs = notebooksIn(run.runDir);
    expect(nbs).toHaveLength(8);
    await validateNotebooks(nbs);
    expect(scraps(readNotebook(join(run.runDir, 'audit_gate.ipynb')))).toMatchObject({ verdict: 'pass' });
  }, 180_000);

  it('drifted: two audits warn, the gate chooses notify, then ready_to_deploy runs after it; exit 0', async () => {
    const { exitCode, run, stdout, junit } = await runScenario('drifted');
    expect(exitCode, stdout).toBe(0);
    expect(statuses(run)).toMatchObject({
      audit_gate: 'succeeded',
      block_deployment: 'skipped',
      notify: 'succeeded',
      ready_to_deploy: 'succeeded',
    });
    const n = run.nodes;
    expect(n.freshness!.outputs).toMatchObject({ status: 'warn' });
    expect(n.freshness!.outputs!.details).toMatchObject({ age_hours: expect.closeTo(30, 0) });
    expect(n.distribution_drift!.outputs).toMatchObject({ status: 'warn' });
    expect(n.distribution_drift!.outputs!.details).toMatchObject({ psi: expect.closeTo(0.17, 2) });
    for (const a of ['row_counts', 'null_checks', 'referential_integrity']) expect(n[a]!.outputs, a).toMatchObject({ status: 'pass' });
    expect(n.audit_gate!.outputs).toEqual({ verdict: 'warn', passed: 3, warned: 2, failed: 0 });
    expect(stdout).toContain(
      'audit_gate chose notify because outputs.verdict == "fail" was false and outputs.verdict == "warn" was true (outputs.verdict="warn")',
    );
    expect(n.block_deployment!.skip).toMatchObject({ kind: 'branch_not_taken', chose: 'notify' });
    const message = join(tmp, 'work', run.runId, 'notifications', `deploy-warning-${run.runId}.txt`);
    expect(n.notify!.outputs).toEqual({ message_path: message, warnings_sent: 2 });
    expect(readFileSync(message, 'utf8')).toContain('distribution_drift');
    expect(n.ready_to_deploy!.outputs).toEqual({ ready: true, warnings_acknowledged: 2 });
    expect(Object.values(junit).filter((v) => v === 'pass')).toHaveLength(9);
    expect(junit.block_deployment).toBe('skipped');
  }, 180_000);

  it('broken: three audits fail (continue_on_error), the gate chooses block_deployment, which fails the run; exit 1', async () => {
    const { exitCode, run, stdout, junit, junitXml } = await runScenario('broken');
    expect(exitCode, stdout).toBe(1);
    expect(run.status).toBe('failed');
    expect(statuses(run)).toEqual({
      prepare_dataset: 'succeeded',
      row_counts: 'failed',
      null_checks: 'failed',
      referential_integrity: 'failed',
      freshness: 'succeeded',
      distribution_drift: 'succeeded',
      audit_gate: 'succeeded',
      block_deployment: 'failed',
      notify: 'skipped',
      ready_to_deploy: 'skipped',
    });
    const n = run.nodes;
    expect(n.prepare_dataset!.outputs).toMatchObject({ orders_loaded: 1750 });
    const evalue = (id: string) => n[id]!.attempts.at(-1)!.error?.evalue;
    expect(evalue('row_counts')).toBe("audit row_counts failed: 1750 orders loaded, 35% of the baseline's 5000");
    expect(evalue('null_checks')).toBe('audit null_checks failed: customer_id: 70 nulls (4.0%)');
    expect(evalue('referential_integrity')).toBe(
      'audit referential_integrity failed: 52 of 1680 orders (3.1%) reference an unknown customer',
    );
    expect(n.audit_gate!.outputs).toEqual({ verdict: 'fail', passed: 2, warned: 0, failed: 3 });
    expect(evalue('block_deployment')).toBe('Deployment blocked: failed audits: null_checks, referential_integrity, row_counts');
    expect(n.ready_to_deploy!.skip).toMatchObject({ kind: 'branch_not_taken', by: 'audit_gate', chose: 'block_deployment' });
    expect(existsSync(join(tmp, 'work', run.runId, 'deployment', 'BLOCKED.txt'))).toBe(true);

    // Each failing audit is a failed test case; continue_on_error is said, and only block_deployment
    // decides the exit code.
    expect(junitXml).toContain('<testsuites name="quality-audits" tests="10" failures="4" errors="0" skipped="2"');
    expect(junit).toEqual({
      prepare_dataset: 'pass',
      row_counts: 'failure: AssertionError: audit row_counts failed: 1750 orders loaded, 35% of the baseline&apos;s 5000',
      null_checks: 'failure: AssertionError: audit null_checks failed: customer_id: 70 nulls (4.0%)',
      referential_integrity:
        'failure: AssertionError: audit referential_integrity failed: 52 of 1680 orders (3.1%) reference an unknown customer',
      freshness: 'pass',
      distribution_drift: 'pass',
      audit_gate: 'pass',
      block_deployment: 'failure: RuntimeError: Deployment blocked: failed audits: null_checks, referential_integrity, row_counts',
      notify: 'skipped',
      ready_to_deploy: 'skipped',
    });
    expect(junitXml.match(/continue_on_error: the run went on/g)).toHaveLength(3);

    // A failed audit's notebook still holds its result and the error, in papermill's format.
    const nbs = notebooksIn(run.runDir);
    await validateNotebooks(nbs);
    const rowCounts = readNotebook(join(run.runDir, 'row_counts.ipynb'));
    expect(scraps(rowCounts)).toMatchObject({ status: 'fail' });
    expect(rowCounts.metadata.papermill).toMatchObject({ exception: true });
  }, 180_000);
});
