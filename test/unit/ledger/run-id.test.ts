import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRunDir } from '../../../src/ledger/run-dir.js';
import { createRunId, runIdTime } from '../../../src/ledger/run-id.js';
import { attemptNotebookPath, finalNotebookPath } from '../../../src/ledger/notebook-paths.js';

describe('run ids and directories', () => {
  it('makes ids that sort by time', () => {
    expect(createRunId(new Date('2026-11-26T09:30:00.123Z'), () => '3f9a')).toBe('20261126T093000Z-3f9a');
    const ids = ['2026-11-26T09:30:01Z', '2026-01-02T00:00:00Z', '2026-11-26T09:30:00Z'].map((t) => createRunId(new Date(t)));
    expect([...ids].sort()).toEqual([ids[1], ids[2], ids[0]]);
    expect(createRunId()).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{4}$/);
  });

  it('reads the time back from an id', () => {
    expect(runIdTime('20261126T093000Z-3f9a')?.toISOString()).toBe('2026-11-26T09:30:00.000Z');
    expect(runIdTime('not-a-run')).toBeUndefined();
  });

  it('creates runs/<workflow>/<run-id>/ and refuses to reuse one', async () => {
    const runs = mkdtempSync(join(tmpdir(), 'flow-runs-'));
    const dir = await createRunDir(runs, 'hesa', '20261126T093000Z-3f9a');
    expect(dir).toBe(join(runs, 'hesa', '20261126T093000Z-3f9a'));
    await expect(createRunDir(runs, 'hesa', '20261126T093000Z-3f9a')).rejects.toThrow(/EEXIST/);
  });

  it('names executed notebooks per DESIGN §3', () => {
    expect(finalNotebookPath('/r', 'extract')).toBe('/r/extract.ipynb');
    expect(finalNotebookPath('/r', 'fit', 2)).toBe('/r/fit.2.ipynb');
    expect(attemptNotebookPath('/r', 'extract', 1)).toBe('/r/extract.attempt-1.ipynb');
    expect(attemptNotebookPath('/r', 'fit', 3, 0)).toBe('/r/fit.0.attempt-3.ipynb');
  });
});
