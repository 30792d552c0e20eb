// workflows/quality-audits-fanout.yml: the audit chain as one fan-out over its notebooks and a
// decision node, making the same choice as workflows/quality-audits.yml in every scenario.
import { execa } from 'execa';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath, repoRoot } from '../helpers/paths.js';

interface Record_ {
  status: string;
  nodes: Record<
    string,
    { status: string; decision?: boolean; branch?: { chose: string }; error?: { evalue?: string }; outputs?: Record<string, unknown> }
  >;
}

async function run(scenario: string): Promise<{ exitCode: number; run: Record_ }> {
  const runs = mkdtempSync(join(tmpdir(), `flow-fanout-${scenario}-`));
  const r = await execa(
    'node',
    [cliPath, 'run', 'workflows/quality-audits-fanout.yml', '-p', `scenario=${scenario}`, '--reporter', 'plain', '--runs-dir', runs],
    {
      cwd: repoRoot,
      reject: false,
      env: { NO_COLOR: '1' },
    },
  );
  const runDir = /run directory: (\S+)/.exec(r.stdout)?.[1];
  if (!runDir) throw new Error(`no run directory in:\n${r.stdout}\n${r.stderr}`);
  return { exitCode: r.exitCode ?? -1, run: JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as Record_ };
}

describe('the audit chain as a fan-out and a decision node', () => {
  it('is at most half the lines of quality-audits.yml as it was (122)', () => {
    expect(
      readFileSync(join(repoRoot, 'workflows', 'quality-audits-fanout.yml'), 'utf8')
        .trimEnd()
        .split('\n').length,
    ).toBeLessThanOrEqual(61);
  });

  it('clean: the gate, with no kernel, chooses ready_to_deploy; exit 0', async () => {
    const { exitCode, run: r } = await run('clean');
    expect(exitCode).toBe(0);
    expect(r.nodes.audit!.outputs).toMatchObject({ status: ['pass', 'pass', 'pass', 'pass', 'pass'] });
    expect(r.nodes.gate).toMatchObject({ status: 'succeeded', decision: true, branch: { chose: 'ready_to_deploy' } });
    expect(r.nodes.ready_to_deploy!.outputs).toEqual({ ready: true, warnings_acknowledged: 0 });
    expect([r.nodes.notify!.status, r.nodes.block_deployment!.status]).toEqual(['skipped', 'skipped']);
  });

  it('drifted: two audits warn, the gate chooses notify, then ready_to_deploy; exit 0', async () => {
    const { exitCode, run: r } = await run('drifted');
    expect(exitCode).toBe(0);
    expect(r.nodes.audit!.outputs).toMatchObject({ status: ['pass', 'pass', 'pass', 'warn', 'warn'] });
    expect(r.nodes.gate!.branch).toMatchObject({ chose: 'notify' });
    expect(r.nodes.notify!.outputs).toMatchObject({ warnings_sent: 2 });
    expect(r.nodes.ready_to_deploy!.outputs).toEqual({ ready: true, warnings_acknowledged: 2 });
  });

  it('broken: audits fail (continue_on_error), the gate chooses block_deployment, which fails the run; exit 1', async () => {
    const { exitCode, run: r } = await run('broken');
    expect(exitCode).toBe(1);
    expect(r.status).toBe('failed');
    expect(r.nodes.audit!.status).toBe('failed');
    expect(r.nodes.gate!.branch).toMatchObject({ chose: 'block_deployment' });
    expect(r.nodes.block_deployment!.error?.evalue).toBe(
      'Deployment blocked: failed audits: null_checks, referential_integrity, row_counts',
    );
    expect(r.nodes.ready_to_deploy!.status).toBe('skipped');
  });
});
