import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { formatRun } from '../../../src/report/format-run.js';
import { formatRunList } from '../../../src/report/format-run-list.js';
import { listRuns } from '../../../src/ledger/list-runs.js';
import { loadRun } from '../../../src/ledger/load-run.js';
import { fixture, recordRun } from './ledger-fixture.js';

async function twoRuns() {
  const f = fixture();
  await recordRun(f, { a: { outputs: { n: 9 } } }, { runId: '20261126T093000Z-aaaa' });
  await recordRun(f, { a: { outputs: { n: 2 } }, c: { fail: 'error' } }, { runId: '20261127T100000Z-bbbb' });
  return f;
}

describe('listRuns and flow runs', () => {
  it('lists runs newest first with status and counts', async () => {
    const f = await twoRuns();
    mkdirSync(join(f.runsDir, 'other', '20261128T000000Z-cccc'), { recursive: true });
    const runs = await listRuns(f.runsDir);
    expect(runs.map((r) => [r.runId, r.workflow, r.status, r.counts])).toEqual([
      ['20261128T000000Z-cccc', 'other', 'unreadable', {}],
      ['20261127T100000Z-bbbb', 'wf', 'failed', { succeeded: 1, skipped: 1, failed: 1 }],
      ['20261126T093000Z-aaaa', 'wf', 'succeeded', { succeeded: 3 }],
    ]);
    expect((await listRuns(f.runsDir, 'wf')).map((r) => r.runId)).toEqual(['20261127T100000Z-bbbb', '20261126T093000Z-aaaa']);
    expect(await listRuns(join(f.root, 'nowhere'))).toEqual([]);
  });

  it('prints a table', async () => {
    const f = await twoRuns();
    expect(formatRunList(await listRuns(f.runsDir), 'runs')).toBe(
      [
        'RUN ID                 WORKFLOW  STATUS     STARTED               DURATION  TRIGGER  NODES',
        '20261127T100000Z-bbbb  wf        failed     2026-11-27 10:00:00Z  0ms       manual   1 succeeded, 1 failed, 1 skipped',
        '20261126T093000Z-aaaa  wf        succeeded  2026-11-26 09:30:00Z  0ms       manual   3 succeeded',
        '',
      ].join('\n'),
    );
    expect(formatRunList([], './runs')).toBe('no runs in ./runs\n');
  });
});

describe('loadRun and flow show', () => {
  it('finds a run by id, by unique prefix, or by directory', async () => {
    const f = await twoRuns();
    const dir = join(f.runsDir, 'wf', '20261127T100000Z-bbbb');
    expect((await loadRun('20261127T100000Z-bbbb', f.runsDir)).runDir).toBe(dir);
    expect((await loadRun('20261127', f.runsDir)).runId).toBe('20261127T100000Z-bbbb');
    expect((await loadRun(dir, '/elsewhere')).runId).toBe('20261127T100000Z-bbbb');
  });

  it('says what is wrong when it cannot', async () => {
    const f = await twoRuns();
    await expect(loadRun('2025', f.runsDir)).rejects.toThrow(
      new UsageError(`no run "2025" in ${f.runsDir}`, 'list runs with `flow runs`, or pass a run directory'),
    );
    await expect(loadRun('2026', f.runsDir)).rejects.toThrow(
      new UsageError(
        '"2026" matches 2 runs: wf/20261127T100000Z-bbbb, wf/20261126T093000Z-aaaa',
        'give more of the run id, or the run directory',
      ),
    );
    const broken = join(f.root, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'run.json'), '{"nope": 1}');
    await expect(loadRun(broken, f.runsDir)).rejects.toThrow(`${join(broken, 'run.json')} is not a flow run record: no runId or nodes`);
  });

  it('shows each node with its status, reason, outputs, notebook and error', async () => {
    const f = await twoRuns();
    const run = await loadRun('20261127T100000Z-bbbb', f.runsDir);
    const dir = run.runDir;
    expect(formatRun(run)).toBe(
      [
        'run 20261127T100000Z-bbbb  wf  failed (exit 1)',
        'workflow  /wf/wf.yml  sha256 h',
        'params    year=2025',
        'started   2026-11-27 10:00:00Z  took 0ms',
        `dir       ${dir}`,
        'nodes     1 succeeded, 1 failed, 1 skipped',
        '',
        'a     succeeded',
        '      outputs: n=2',
        `      notebook: ${join(dir, 'a.ipynb')}`,
        'b     skipped',
        '      why: condition nodes.a.outputs.n > 5 was false (nodes.a.outputs.n=2)',
        'c     failed',
        '      error: error: error in c',
        `      notebook: ${join(dir, 'c.ipynb')}`,
        '',
      ].join('\n'),
    );
  });
});
