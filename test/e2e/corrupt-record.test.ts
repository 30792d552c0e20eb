// A run.json cut short (a full disk, a crash mid-write elsewhere): `flow show`, `flow runs` and
// `flow resume` say what is wrong and what they can still read, never a stack trace.
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliPath, fixturesDir, repoRoot } from '../helpers/paths.js';

const runs = mkdtempSync(join(tmpdir(), 'flow-corrupt-'));
afterAll(() => rmSync(runs, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));
const flow = (args: string[]) => execa('node', [cliPath, ...args, '--runs-dir', runs], { cwd: repoRoot, reject: false });

describe('a truncated run.json', () => {
  it('show rebuilds the run from events.ndjson and says so; runs says where its line comes from; resume refuses with the next step', async () => {
    const r = await flow(['run', join(fixturesDir, 'report', 'wf.yml'), '--reporter', 'plain']);
    const runDir = /^run directory: (.+)$/m.exec(r.stdout)![1]!;
    const record = readFileSync(join(runDir, 'run.json'), 'utf8');
    const runId = JSON.parse(record).runId as string;
    writeFileSync(join(runDir, 'run.json'), record.slice(0, 200));

    const show = await flow(['show', runId]);
    expect(show.exitCode, show.stderr).toBe(0);
    expect(show.stderr).toMatch(/^warning: .*run\.json is not a flow run record: .*: shown from events\.ndjson/);
    expect(show.stdout).toContain(`run ${runId}  report-demo  failed (exit 1)`);
    expect(show.stdout).toMatch(/broken +failed/);

    const list = await flow(['runs']);
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`${runId} +report-demo +failed`));
    expect(list.stdout).toContain(`${runId}: run.json could not be read, so its line comes from events.ndjson`);

    const resume = await flow(['resume', runId]);
    expect(resume.exitCode).toBe(2);
    expect(resume.stderr).toContain('is not a flow run record');
    expect(resume.stderr).toContain('`flow show` still shows what its events.ndjson holds');
    for (const out of [show.stderr, list.stderr, resume.stderr]) expect(out).not.toMatch(/\n\s+at /);

    // With neither file readable, show says so and exits 2.
    writeFileSync(join(runDir, 'events.ndjson'), '{"type":');
    const none = await flow(['show', runDir]);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain('is not a flow run record');
  }, 120_000);
});
