// workflows/quality-audits.yml end to end through the built CLI with --junit, one run per scenario
// (test/fixtures/examples/expected.md): a fan-out over the five audit notebooks, then a decision
// node (no notebook, no kernel) that picks deploy, notify-then-deploy or block.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateNotebooks } from '../helpers/validate-notebook.js';
import {
  executedNotebooks,
  flow,
  readNotebook,
  scraps,
  statuses,
  type ExampleRun,
  type RunJson,
  type RunJsonNode,
} from '../helpers/example-run.js';
import { repoRoot } from '../helpers/paths.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'flow-examples-audits-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));

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

/** The audit matrix's instances by audit name (each instance is given its axis as a param). */
function audits(run: RunJson): Record<string, RunJsonNode> {
  const instances = run.nodes.audit!.instances ?? [];
  expect(instances.map((i) => i?.params?.audit)).toEqual(AUDITS);
  return Object.fromEntries(instances.map((inst, i) => [AUDITS[i]!, inst!]));
}

/** Testcase name of an audit in the JUnit report. */
const caseOf = (audit: string) => `audit[${AUDITS.indexOf(audit)}]`;

describe('workflows/quality-audits.yml', () => {
  it('is at most half the lines it had before the fan-out (122)', () => {
    const lines = readFileSync(join(repoRoot, 'workflows', 'quality-audits.yml'), 'utf8')
      .trimEnd()
      .split('\n');
    expect(lines.length).toBeLessThanOrEqual(61);
  });

  it('clean: every audit passes, the gate chooses ready_to_deploy; exit 0', async () => {
    const { exitCode, run, stdout, junit, junitXml } = await runScenario('clean');
    expect(exitCode, stdout).toBe(0);
    expect(statuses(run)).toEqual({
      prepare_dataset: 'succeeded',
      audit: 'succeeded',
      audit_gate: 'succeeded',
      block_deployment: 'skipped',
      notify: 'skipped',
      ready_to_deploy: 'succeeded',
    });
    const n = run.nodes;
    const a = audits(run);
    const wd = join(tmp, 'work', run.runId);
    expect(n.prepare_dataset!.outputs).toEqual({
      orders_loaded: 5000,
      customers_loaded: 1200,
      dataset_dir: join(wd, 'data'),
      audits_dir: join(wd, 'audits'),
    });
    for (const name of AUDITS) expect(a[name], name).toMatchObject({ status: 'succeeded', outputs: { status: 'pass' } });
    expect(a.row_counts!.outputs!.details).toEqual({ loaded: 5000, baseline: 5000, ratio: 1 });
    expect(a.referential_integrity!.outputs!.details).toEqual({ orders: 5000, orphans: 0, pct: 0 });
    // Downstream reads the instances' outputs as a list in matrix order, and by key.
    expect(n.audit!.outputs!.status).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
    expect(n.audit_gate).toMatchObject({ decision: true, branch: { chose: 'ready_to_deploy' } });
    expect(n.audit_gate!.attempts).toHaveLength(1);
    for (const id of ['block_deployment', 'notify']) {
      expect(n[id]!.skip, id).toMatchObject({ kind: 'branch_not_taken', by: 'audit_gate', chose: 'ready_to_deploy' });
    }
    expect(n.ready_to_deploy!.outputs).toEqual({ ready: true, warnings_acknowledged: 0 });
    expect(existsSync(join(wd, 'deployment', 'READY.json'))).toBe(true);

    expect(junitXml).toContain('<testsuites name="quality-audits" tests="10" failures="0" errors="0" skipped="2"');
    expect(junit).toEqual({
      prepare_dataset: 'pass',
      ...Object.fromEntries(AUDITS.map((name) => [caseOf(name), 'pass'])),
      audit_gate: 'pass',
      block_deployment: 'skipped',
      notify: 'skipped',
      ready_to_deploy: 'pass',
    });
    // prepare_dataset, five audits, ready_to_deploy: the gate ran no notebook.
    const nbs = executedNotebooks(run.runDir);
    expect(nbs).toHaveLength(7);
    expect(nbs.some((f) => f.endsWith('audit_gate.ipynb'))).toBe(false);
    await validateNotebooks(nbs);
    for (const [i, name] of AUDITS.entries()) {
      expect(scraps(readNotebook(join(run.runDir, `audit.${i}.ipynb`))), name).toMatchObject({ status: 'pass' });
    }
    // The fan-out's axis names the notebook; it is not warned about as an unknown parameter.
    expect(stdout).not.toContain('is not defined in the notebook');
  }, 180_000);

  it('drifted: two audits warn, the gate chooses notify, then ready_to_deploy runs after it; exit 0', async () => {
    const { exitCode, run, stdout, junit } = await runScenario('drifted');
    expect(exitCode, stdout).toBe(0);
    expect(statuses(run)).toMatchObject({
      audit: 'succeeded',
      audit_gate: 'succeeded',
      block_deployment: 'skipped',
      notify: 'succeeded',
      ready_to_deploy: 'succeeded',
    });
    const n = run.nodes;
    const a = audits(run);
    expect(a.freshness!.outputs).toMatchObject({ status: 'warn' });
    expect(a.freshness!.outputs!.details).toMatchObject({ age_hours: expect.closeTo(30, 0) });
    expect(a.distribution_drift!.outputs).toMatchObject({ status: 'warn' });
    expect(a.distribution_drift!.outputs!.details).toMatchObject({ psi: expect.closeTo(0.17, 2) });
    for (const name of ['row_counts', 'null_checks', 'referential_integrity'])
      expect(a[name]!.outputs, name).toMatchObject({ status: 'pass' });
    expect(n.audit_gate!.branch).toMatchObject({
      chose: 'notify',
      operands: { 'nodes.audit.outputs.status': ['pass', 'pass', 'pass', 'warn', 'warn'] },
    });
    expect(stdout).toContain(
      'audit_gate chose notify because nodes.audit.status == "failed" was false and "warn" in nodes.audit.outputs.status was true',
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
      audit: 'failed',
      audit_gate: 'succeeded',
      block_deployment: 'failed',
      notify: 'skipped',
      ready_to_deploy: 'skipped',
    });
    const n = run.nodes;
    const a = audits(run);
    expect(Object.fromEntries(AUDITS.map((name) => [name, a[name]!.status]))).toEqual({
      row_counts: 'failed',
      null_checks: 'failed',
      referential_integrity: 'failed',
      freshness: 'succeeded',
      distribution_drift: 'succeeded',
    });
    expect(n.prepare_dataset!.outputs).toMatchObject({ orders_loaded: 1750 });
    const evalue = (node: RunJsonNode) => node.attempts.at(-1)!.error?.evalue;
    expect(evalue(a.row_counts!)).toBe("audit row_counts failed: 1750 orders loaded, 35% of the baseline's 5000");
    expect(evalue(a.null_checks!)).toBe('audit null_checks failed: customer_id: 70 nulls (4.0%)');
    expect(evalue(a.referential_integrity!)).toBe(
      'audit referential_integrity failed: 52 of 1680 orders (3.1%) reference an unknown customer',
    );
    expect(n.audit_gate!.branch).toMatchObject({ chose: 'block_deployment', operands: { 'nodes.audit.status': 'failed' } });
    expect(evalue(n.block_deployment!)).toBe('Deployment blocked: failed audits: null_checks, referential_integrity, row_counts');
    expect(n.ready_to_deploy!.skip).toMatchObject({ kind: 'branch_not_taken', by: 'audit_gate', chose: 'block_deployment' });
    expect(existsSync(join(tmp, 'work', run.runId, 'deployment', 'BLOCKED.txt'))).toBe(true);

    // Each failing audit is a failed test case; continue_on_error is said, and only block_deployment
    // decides the exit code.
    expect(junitXml).toContain('<testsuites name="quality-audits" tests="10" failures="4" errors="0" skipped="2"');
    expect(junit).toEqual({
      prepare_dataset: 'pass',
      [caseOf('row_counts')]: 'failure: AssertionError: audit row_counts failed: 1750 orders loaded, 35% of the baseline&apos;s 5000',
      [caseOf('null_checks')]: 'failure: AssertionError: audit null_checks failed: customer_id: 70 nulls (4.0%)',
      [caseOf('referential_integrity')]:
        'failure: AssertionError: audit referential_integrity failed: 52 of 1680 orders (3.1%) reference an unknown customer',
      [caseOf('freshness')]: 'pass',
      [caseOf('distribution_drift')]: 'pass',
      audit_gate: 'pass',
      block_deployment: 'failure: RuntimeError: Deployment blocked: failed audits: null_checks, referential_integrity, row_counts',
      notify: 'skipped',
      ready_to_deploy: 'skipped',
    });
    expect(junitXml.match(/continue_on_error: the run went on/g)).toHaveLength(3);

    // A failed audit's notebook still holds its result and the error, in papermill's format.
    await validateNotebooks(executedNotebooks(run.runDir));
    const rowCounts = readNotebook(join(run.runDir, 'audit.0.ipynb'));
    expect(scraps(rowCounts)).toMatchObject({ status: 'fail' });
    expect(rowCounts.metadata.papermill).toMatchObject({ exception: true });
  }, 180_000);
});
