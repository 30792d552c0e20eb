// Two `flow resume`s of one run at once: the second is refused, naming the first's pid.
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliPath, fixturesDir, repoRoot } from '../helpers/paths.js';

const runs = mkdtempSync(join(tmpdir(), 'flow-resume-lock-'));
afterAll(() => rmSync(runs, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));

const flow = (args: string[]) =>
  execa('node', [cliPath, ...args, '--reporter', 'plain', '--runs-dir', runs], { cwd: repoRoot, reject: false });

describe('flow resume, twice at once', () => {
  it('refuses the second with the first one’s pid, and lets a resume run again once the first has ended', async () => {
    const first = await flow(['run', join(fixturesDir, 'resume-lock', 'wf.yml')]);
    expect(first.exitCode).toBe(1);
    const runDir = /^run directory: (.+)$/m.exec(first.stdout)![1]!;
    const runId = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')).runId as string;

    const one = flow(['resume', runId]);
    const lock = join(runDir, 'resume.lock');
    const deadline = Date.now() + 30_000;
    while (!existsSync(lock) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(lock)).toBe(true);
    const two = await flow(['resume', runId]);
    expect(two.exitCode).toBe(2);
    expect(two.stderr).toContain(`run ${runId} is being resumed already, by flow pid ${one.pid}`);
    expect(two.stderr).not.toMatch(/\n\s+at /);

    const ended = await one;
    expect(ended.exitCode).toBe(1); // the node fails again: the folder still has no marker.txt
    expect(existsSync(lock)).toBe(false);
    const again = await flow(['resume', runId]);
    expect(again.stderr).not.toContain('is being resumed already');
  }, 120_000);
});
