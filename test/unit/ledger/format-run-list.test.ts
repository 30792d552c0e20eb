// `flow runs`: the reporters' counts wording, and runs whose flow was killed listed as abandoned.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatRunList } from '../../../src/report/format-run-list.js';
import { listRuns, type RunListEntry } from '../../../src/ledger/list-runs.js';
import { runIsAbandoned } from '../../../src/ledger/read-run.js';

/** The pid of a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

/** A runs directory with run.json files holding just what listRuns reads. */
function runsDir(runs: { runId: string; status: string; pid?: number; host?: string; nodes?: Record<string, string> }[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'flow-runs-'));
  for (const r of runs) {
    const runDir = join(dir, 'wf', r.runId);
    mkdirSync(runDir, { recursive: true });
    const nodes = Object.fromEntries(Object.entries(r.nodes ?? {}).map(([id, status]) => [id, { id, status }]));
    writeFileSync(join(runDir, 'run.json'), JSON.stringify({ ...r, workflow: 'wf', startedAt: '2026-11-26T09:30:00.000Z', nodes }));
  }
  return dir;
}

const entry = (runId: string, status: RunListEntry['status'], counts: RunListEntry['counts']): RunListEntry => ({
  runId,
  workflow: 'wf',
  status,
  startedAt: '2026-11-26T09:30:00.000Z',
  durationMs: 2100,
  counts,
  runDir: `/runs/wf/${runId}`,
});

describe('formatRunList', () => {
  it("counts nodes in the reporters' words", () => {
    expect(formatRunList([entry('20261126T093000Z-aaaa', 'failed', { succeeded: 3, upstream_failed: 6, failed: 1 })], 'runs')).toBe(
      [
        'RUN ID                 WORKFLOW  STATUS  STARTED               DURATION  TRIGGER  NODES',
        '20261126T093000Z-aaaa  wf        failed  2026-11-26 09:30:00Z  2.1s      manual   3 succeeded, 1 failed, 6 upstream failed',
        '',
      ].join('\n'),
    );
    expect(formatRunList([entry('20261126T093000Z-aaaa', 'unreadable', {})], 'runs')).toContain(
      'unreadable  2026-11-26 09:30:00Z  2.1s      -        -\n',
    );
    const scheduled = {
      ...entry('20261126T093000Z-bbbb', 'succeeded', { succeeded: 1 }),
      trigger: 'schedule',
      logicalDate: '2026-11-26T06:00:00.000Z',
    };
    expect(formatRunList([scheduled], 'runs')).toContain('schedule for 2026-11-26 06:00:00Z  1 succeeded');
  });

  it('follows the table with how to continue an abandoned run', () => {
    const text = formatRunList(
      [
        entry('20261127T000000Z-bbbb', 'succeeded', { succeeded: 1 }),
        entry('20261126T093000Z-aaaa', 'abandoned', { succeeded: 1, running: 1 }),
      ],
      'runs',
    );
    expect(text.split('\n').slice(2)).toEqual([
      '20261126T093000Z-aaaa  wf        abandoned  2026-11-26 09:30:00Z  2.1s      manual   1 succeeded, 1 running',
      '',
      'abandoned: flow stopped without recording the end of the run (killed?); continue it with `flow resume 20261126T093000Z-aaaa`',
      '',
    ]);
    const two = formatRunList([entry('20261127T000000Z-bbbb', 'abandoned', {}), entry('20261126T093000Z-aaaa', 'abandoned', {})], 'runs');
    expect(two).toMatch(
      /\n\nabandoned: flow stopped without recording the end of 2 runs \(killed\?\); continue one with `flow resume <run id>`\n$/,
    );
  });
});

describe('listRuns and abandoned runs', () => {
  it('lists a running run whose flow process is gone from this host as abandoned', async () => {
    const dir = runsDir([
      { runId: '20261126T000001Z-dead', status: 'running', pid: deadPid(), host: hostname(), nodes: { a: 'succeeded', b: 'running' } },
      { runId: '20261126T000002Z-live', status: 'running', pid: process.pid, host: hostname() },
      { runId: '20261126T000003Z-away', status: 'running', pid: deadPid(), host: `not-${hostname()}` },
      { runId: '20261126T000004Z-old0', status: 'running' },
      { runId: '20261126T000005Z-done', status: 'failed', pid: deadPid(), host: hostname() },
    ]);
    const runs = await listRuns(dir);
    expect(runs.map((r) => [r.runId, r.status])).toEqual([
      ['20261126T000005Z-done', 'failed'],
      ['20261126T000004Z-old0', 'running'],
      ['20261126T000003Z-away', 'running'],
      ['20261126T000002Z-live', 'running'],
      ['20261126T000001Z-dead', 'abandoned'],
    ]);
    expect(runs[4].counts).toEqual({ succeeded: 1, running: 1 });
  });

  it('never checks a pid that would address a process group', () => {
    for (const pid of [0, -1, 1.5]) expect(runIsAbandoned({ status: 'running', pid, host: hostname() })).toBe(false);
    expect(runIsAbandoned({ status: 'running', pid: deadPid(), host: 'h' }, 'h')).toBe(true);
  });
});
