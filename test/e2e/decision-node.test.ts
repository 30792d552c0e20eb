// `flow run` of a decision node on real kernels (test/fixtures/decision/decision.yml): two audits
// produce verdicts, `gate` (no notebook) picks publish or quarantine in CEL, the other is skipped.
import { execa } from 'execa';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findJupyter } from '../../src/kernel/find-jupyter.js';
import { readEvents, readRun, statuses } from '../fixtures/e2e/harness.js';
import { cliPath, repoRoot } from '../helpers/paths.js';

const jupyter = findJupyter({ cwd: repoRoot }).jupyter;
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'flow-decision-'));
  cpSync(join(repoRoot, 'test/fixtures/decision'), dir, { recursive: true, filter: (f) => !f.endsWith('.py') });
});
afterAll(() => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));

/** Runs decision.yml in its own folder; returns stdout without timestamps, the run dir and the JUnit XML. */
async function runDecision(label: string, params: string[]) {
  const junit = join(dir, `${label}.xml`);
  const runsDir = join(dir, label);
  const result = await execa(
    process.execPath,
    [
      cliPath,
      'run',
      'decision.yml',
      '--reporter',
      'plain',
      '--junit',
      junit,
      '--runs-dir',
      runsDir,
      '-p',
      `dir=${dir}/${label}`,
      ...params,
    ],
    { cwd: dir, reject: false, all: true, env: { FLOW_JUPYTER: jupyter, NO_COLOR: '1', FORCE_COLOR: '0' } },
  );
  expect(result.exitCode, String(result.all)).toBe(0);
  const [id] = readdirSync(join(runsDir, 'decision'));
  const lines = result.stdout.split('\n').map((l) => l.replace(/^\d\d:\d\d:\d\d /, ''));
  const trace = readFileSync(join(dir, label, 'trace.txt'), 'utf8')
    .split('\n')
    .filter(Boolean);
  return { lines, runDir: join(runsDir, 'decision', id!), xml: readFileSync(junit, 'utf8'), trace };
}

describe('a decision node on real kernels', () => {
  it('chooses publish from the audits’ outputs, runs no notebook for itself, and skips quarantine', async () => {
    const { lines, runDir, xml, trace } = await runDecision('clean', []);
    const when = 'nodes.rows.outputs.status == "ok" && nodes.nulls.outputs.failures == 0';
    const because = `gate chose publish because ${when} was true (nodes.rows.outputs.status="ok", nodes.nulls.outputs.failures=0)`;
    expect(lines).toEqual(
      expect.arrayContaining([
        '▶ gate started (attempt 1/1)',
        `→ ${because}`,
        expect.stringMatching(/^✔ gate succeeded in \d+ms$/),
        `↷ quarantine skipped: branch not taken — ${because}`,
        expect.stringMatching(/^gate +succeeded +\d+ms +1$/),
      ]),
    );
    expect(trace.sort()).toEqual(['nulls', 'publish', 'rows']);

    const run = readRun(runDir);
    expect(statuses(run)).toEqual({
      rows: 'succeeded',
      nulls: 'succeeded',
      gate: 'succeeded',
      publish: 'succeeded',
      quarantine: 'skipped',
    });
    expect(run.nodes.gate).toMatchObject({
      decision: true,
      branch: { chose: 'publish', because: when, operands: { 'nodes.rows.outputs.status': 'ok', 'nodes.nulls.outputs.failures': 0 } },
    });
    expect(run.nodes.gate!.notebookPath).toBeUndefined();
    expect(existsSync(join(runDir, 'gate.ipynb'))).toBe(false);
    const gateEvents = readEvents(runDir).filter((e) => 'node' in e && e.node === 'gate');
    expect(gateEvents.map((e) => e.type)).toEqual(['node_queued', 'node_started', 'branch_decided', 'node_finished']);
    expect(gateEvents[1]).not.toHaveProperty('notebookPath');

    expect(xml).toContain('tests="5" failures="0" errors="0" skipped="1"');
    expect(xml).toMatch(/<testcase name="gate" classname="decision" time="[\d.]+">\n {6}<system-out>gate chose publish because/);
    expect(xml).toMatch(/<testcase name="quarantine" classname="decision" time="0.000">\n {6}<skipped message="branch not taken/);
  });

  it('chooses quarantine when an audit fails, and skips publish', async () => {
    const { lines, runDir, trace } = await runDecision('dirty', ['-p', 'null_failures=2']);
    expect(lines).toContainEqual(
      expect.stringMatching(/^→ gate chose quarantine because .* was false \(.*nodes\.nulls\.outputs\.failures=2\)$/),
    );
    expect(trace.sort()).toEqual(['nulls', 'quarantine', 'rows']);
    const run = readRun(runDir);
    expect(statuses(run)).toMatchObject({ gate: 'succeeded', publish: 'skipped', quarantine: 'succeeded' });
    expect(run.nodes.gate!.branch).toMatchObject({ chose: 'quarantine', because: 'otherwise' });
  });
});
