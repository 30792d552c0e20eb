// The disk fills while a run saves its notebooks and record (a 1 MB tmpfs as the runs directory):
// a clear error naming the folder, exit 1, run.json as last written and readable, and
// `flow resume` repairs the run once there is room.
import { execa, execaSync } from 'execa';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, fixturesDir, repoRoot } from '../helpers/paths.js';
import { formatProcesses, waitForNoJupyter } from '../helpers/processes.js';

const mnt = mkdtempSync(join(tmpdir(), 'flow-disk-full-'));
beforeAll(() => {
  // Mounting needs root, as in CI and on this project's machines; elsewhere this test fails here.
  execaSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]);
});
afterAll(() => {
  execaSync('umount', [mnt], { reject: false });
  rmSync(mnt, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

const flow = (args: string[]) =>
  execa('node', [cliPath, ...args, '--reporter', 'plain', '--runs-dir', join(mnt, 'runs')], { cwd: repoRoot, reject: false });

describe('a full disk', () => {
  it('ends the run with exit 1 and what to do; run.json stays readable; resume repairs it once there is room', async () => {
    const r = await flow(['run', join(fixturesDir, 'disk-full', 'wf.yml')]);
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    const runDir = /^run directory: (.+)$/m.exec(r.stdout)![1]!;
    const record = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
    expect(r.stderr).toContain(`error: the run's record in ${runDir} could not be written (ENOSPC: no space left on the device`);
    expect(r.stderr).toContain(`then \`flow resume ${record.runId}\` repairs the run`);
    expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
    expect(record.nodes.small.status).toBe('succeeded');

    execaSync('mount', ['-o', 'remount,size=64m', mnt]);
    const again = await flow(['resume', record.runId]);
    expect(again.exitCode, again.stdout + again.stderr).toBe(0);
    const repaired = JSON.parse(readFileSync(join(/^run directory: (.+)$/m.exec(again.stdout)![1]!, 'run.json'), 'utf8'));
    expect(repaired).toMatchObject({ status: 'succeeded', resumedFrom: record.runId });
    expect(repaired.nodes.small.reused).toBe(true);
  }, 120_000);

  it('a run directory deleted mid-run: a clear error and exit 1, no hang, nothing left running', async () => {
    const runs = mkdtempSync(join(tmpdir(), 'flow-deleted-'));
    try {
      const proc = execa('node', [cliPath, 'run', join(fixturesDir, 'resume-lock', 'wf.yml'), '--reporter', 'plain', '--runs-dir', runs], {
        cwd: repoRoot,
        reject: false,
      });
      let out = '';
      proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
      const deadline = Date.now() + 60_000;
      while (!/slow started/.test(out) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
      rmSync(join(runs, 'resume-lock'), { recursive: true, force: true });
      const r = await proc;
      expect(r.exitCode, r.stdout + r.stderr).toBe(1);
      expect(r.stderr).toMatch(/^error: the run directory .* is gone \(deleted while the run went on\)/m);
      expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
      const left = await waitForNoJupyter(proc.pid!, 5000);
      expect(left, formatProcesses(left)).toEqual([]);
    } finally {
      rmSync(runs, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    }
  }, 120_000);
});
