// A matrix over notebooks: each instance runs its own notebook; include/exclude as in GitHub
// Actions; downstream reads the outputs as lists in matrix order and by key.
import { execa } from 'execa';
import { mkdtempSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath, fixturesDir } from '../helpers/paths.js';

const flow = (args: string[], cwd?: string) => execa('node', [cliPath, ...args], { reject: false, cwd, env: { NO_COLOR: '1' } });

describe('a matrix over notebooks', () => {
  it('runs check_a and check_b (check_c excluded, weight included for check_a), and report reads them by key', async () => {
    const runs = mkdtempSync(join(tmpdir(), 'flow-fanout-'));
    const r = await flow(['run', join(fixturesDir, 'fanout', 'wf.yml'), '--reporter', 'plain', '--runs-dir', runs, '-p', 'scale=3']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const runDir = /run directory: (\S+)/.exec(r.stdout)![1]!;
    const record = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as {
      nodes: Record<string, { outputs?: Record<string, unknown>; instances?: { notebook: string }[] }>;
    };
    // check_a: 1 × 3 × weight 10 (from include); check_b: 5 × 3.
    expect(record.nodes.audit!.outputs).toEqual({ score: [30, 15], status: ['ok', 'ok'] });
    expect(record.nodes.report!.outputs).toEqual({ total: 30 + 15 + 30 });
    const printed = (f: string) => readFileSync(join(runDir, f), 'utf8');
    expect(printed('audit.0.ipynb')).toContain('check_a 30 ok');
    expect(printed('audit.1.ipynb')).toContain('check_b 15 ok');
    // Params rendered once per instance, reading its matrix values.
    expect(printed('audit.0.ipynb')).toContain('label = \\"check_a at scale 3\\"');
    expect(printed('audit.1.ipynb')).toContain('label = \\"check_b at scale 3\\"');
    expect(printed('report.ipynb')).toContain("total 75 ['check_a', 'check_b']");
  });

  it('--dry-run lists each instance with its own notebook, check_c excluded', async () => {
    const r = await flow(['run', join(fixturesDir, 'fanout', 'wf.yml'), '--dry-run']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('matrix: 2 instances');
    expect(r.stdout).toContain('[0] check = "check_a", weight = 10  → check_a.ipynb');
    expect(r.stdout).toContain('[1] check = "check_b"  → check_b.ipynb');
    expect(r.stdout).not.toContain('check_c');
  });

  it("is refused at load when an instance's notebook is missing, naming the instance at the notebook's line:col", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flow-fanout-bad-'));
    cpSync(join(fixturesDir, 'fanout'), dir, { recursive: true });
    const wf = readFileSync(join(dir, 'wf.yml'), 'utf8').replace(
      'check: [check_a, check_b, check_c]',
      'check: [check_a, check_b, check_c, check_x]',
    );
    writeFileSync(join(dir, 'wf.yml'), wf);
    const r = await flow(['validate', 'wf.yml'], dir);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('wf.yml:9:15: node "audit" instance 2: notebook check_x.ipynb does not exist');
    const typo = wf.replace('${{ matrix.check }}', '${{ matrix.chek }}');
    writeFileSync(join(dir, 'wf.yml'), typo);
    const t = await flow(['validate', 'wf.yml'], dir);
    expect(t.stderr.split('\n')[0]).toBe('wf.yml:9:26: notebook: the matrix has no "chek" — did you mean "check"?');
    expect(t.stderr).not.toContain('does not exist');
  });
});
