// Two `flow run`s of the same workflow at once: separate run directories, each with its own
// record and notebooks, and neither disturbs the other.
import { execa } from 'execa';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliPath, fixturesDir, repoRoot } from '../helpers/paths.js';

const runs = mkdtempSync(join(tmpdir(), 'flow-concurrent-'));
afterAll(() => rmSync(runs, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));

describe('two runs of one workflow at once', () => {
  it('get separate run directories and records, and both succeed', async () => {
    const wf = join(fixturesDir, 'report', 'wf.yml');
    const start = (limit: string) =>
      execa('node', [cliPath, 'run', wf, '-p', `limit=${limit}`, '--reporter', 'plain', '--runs-dir', runs], {
        cwd: repoRoot,
        reject: false,
      });
    const [a, b] = await Promise.all([start('100'), start('200')]);
    expect(a.exitCode, a.stdout + a.stderr).toBe(0);
    expect(b.exitCode, b.stdout + b.stderr).toBe(0);
    const dirs = readdirSync(join(runs, 'report-demo')).map((d) => join(runs, 'report-demo', d));
    expect(dirs).toHaveLength(2);
    const records = dirs.map((d) => JSON.parse(readFileSync(join(d, 'run.json'), 'utf8')));
    expect(new Set(records.map((r) => r.runId)).size).toBe(2);
    expect(records.map((r) => r.params.limit).sort()).toEqual([100, 200]);
    for (const [i, r] of records.entries()) {
      expect(r.status).toBe('succeeded');
      expect(r.runDir).toBe(dirs[i]);
      // Each run's notebooks are its own, injected with its own params.
      expect(readdirSync(dirs[i]!).filter((f) => f.endsWith('.ipynb')).length).toBeGreaterThanOrEqual(5);
      expect(readFileSync(join(dirs[i]!, 'fine.ipynb'), 'utf8')).not.toContain(String(records[1 - i].runId));
    }
  }, 120_000);
});
