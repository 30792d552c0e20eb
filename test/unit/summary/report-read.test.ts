// readReportRun on run directories that are not whole: run.json gone or broken, flow killed, a notebook unreadable, nothing at all.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { NodeError, RunEvent } from '../../../src/events/run-event.js';
import { buildRunReport, readReportRun } from '../../../src/summary/report-page.js';
import { code, makeRunDir, node, notebook } from './run-fixture.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function runDir(...args: Parameters<typeof makeRunDir>): string {
  const d = makeRunDir(...args);
  dirs.push(d);
  return d;
}
function emptyDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'flow-report-'));
  dirs.push(d);
  return d;
}

const T = (s: number) => new Date(Date.UTC(2026, 0, 1) + s * 1000).toISOString();
const error: NodeError = { errorClass: 'error', message: 'KeyError: x', ename: 'KeyError', evalue: "'x'", cell: 0 };

/** events.ndjson of a run whose flow was killed while `b` ran, its last line cut short. */
function events(dir: string, finished = false): RunEvent[] {
  const evs: RunEvent[] = [
    {
      type: 'run_started',
      at: T(0),
      runId: 'ev-run',
      workflow: 'demo',
      workflowFile: 'demo.yml',
      runDir: '/moved/away',
      params: { period: 'P1' },
      nodes: [
        { id: 'a', notebook: 'a.ipynb' },
        { id: 'b', notebook: 'b.ipynb' },
      ],
    },
    { type: 'node_started', at: T(1), node: 'a', attempt: 1, maxAttempts: 1, notebookPath: join(dir, 'a.ipynb'), params: {} },
    { type: 'node_finished', at: T(2), node: 'a', status: 'succeeded', attempts: 1, durationMs: 1000, outputs: { n: 3 } },
    { type: 'node_started', at: T(3), node: 'b', attempt: 1, maxAttempts: 1, notebookPath: join(dir, 'b.ipynb'), params: {} },
  ];
  if (finished) {
    evs.push(
      { type: 'node_finished', at: T(4), node: 'b', status: 'failed', attempts: 1, durationMs: 1000, error },
      { type: 'run_finished', at: T(5), status: 'failed', exitCode: 1, durationMs: 5000, counts: {} },
    );
  }
  const text = `${evs.map((e) => JSON.stringify(e)).join('\n')}\n${finished ? '' : '{"type":"node_output","at":"2026-01-01T00:0'}`;
  writeFileSync(join(dir, 'events.ndjson'), text);
  return evs;
}

describe('readReportRun without a usable run.json', () => {
  it('rebuilds the run from events.ndjson and says run.json was not found', async () => {
    const dir = emptyDir();
    events(dir);
    const data = await readReportRun(dir);
    expect(data.run).toMatchObject({ runId: 'ev-run', workflow: 'demo', runDir: dir, params: { period: 'P1' }, status: 'running' });
    expect(data.run.nodes.a).toMatchObject({ status: 'succeeded', outputs: { n: 3 } });
    expect(data.run.nodes.b?.status).toBe('running');
    expect(data.missing[0]).toContain(`${join(dir, 'run.json')} not found`);
    expect(data.missing[0]).toContain('rebuilt from events.ndjson');
    // no pid in events: cannot tell a killed flow from one still going
    expect(data.missing[1]).toMatch(/still going/);
    // the notebooks the events name are not there
    expect(data.missing.slice(2).join('\n')).toMatch(/notebook of a could not be read .*a\.ipynb/);
    const html = await buildRunReport(data, dir);
    expect(html).toContain('<div class="banner" id="missing">');
    expect(html).toContain('id="n-b"');
  });

  it('rebuilds a finished run, with its failure, when run.json is not a run record', async () => {
    const dir = emptyDir();
    events(dir, true);
    writeFileSync(join(dir, 'run.json'), '{"runId": 3');
    writeFileSync(join(dir, 'a.ipynb'), JSON.stringify(notebook([code([])])));
    const data = await readReportRun(dir);
    expect(data.run).toMatchObject({ runId: 'ev-run', status: 'failed', exitCode: 1, finishedAt: T(5), updatedAt: T(5) });
    expect(data.run.nodes.b).toMatchObject({ status: 'failed', error });
    expect(data.missing[0]).toContain('is not a flow run record');
    expect(data.missing.some((m) => m.includes('still going') || m.includes('flow was stopped'))).toBe(false);
  });

  it('throws when there is neither run.json nor events', async () => {
    await expect(readReportRun(emptyDir())).rejects.toThrow(/run\.json not found/);
  });

  it('throws, about run.json, when the events hold no run_started', async () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'events.ndjson'), `${JSON.stringify({ type: 'log', at: T(0), level: 'info', message: 'hi' })}\nnot json\n`);
    await expect(readReportRun(dir)).rejects.toThrow(/run\.json not found/);
  });
});

describe('readReportRun of a run still `running`', () => {
  const running = (pid: number, host: string) =>
    runDir(
      [node('a', 'running', { attempts: [{ attempt: 1, startedAt: T(1) }] })],
      {},
      { status: 'running', durationMs: undefined, pid, host },
    );

  it('says flow was stopped, and how to repair the run, when its pid is gone on this host', async () => {
    const data = await readReportRun(running(2 ** 22 + 12345, hostname()));
    expect(data.missing).toHaveLength(1);
    expect(data.missing[0]).toContain('flow was stopped before the run ended (last written 2026-01-01T00:00:05Z)');
    expect(data.missing[0]).toContain('`flow resume 20260101-000000-abcd`');
  });

  it('says the run is still going when its process lives, or runs on another host', async () => {
    for (const dir of [running(process.pid, hostname()), running(2 ** 22 + 12345, `not-${hostname()}`)]) {
      const { missing } = await readReportRun(dir);
      expect(missing).toEqual(['the run is still going: this page shows it as it was when written']);
    }
  });
});

describe('readReportRun with notebooks that cannot be read', () => {
  it('names a notebook holding invalid JSON, or missing, in `missing`, and does not throw', async () => {
    const dir = runDir(
      [
        node('broken', 'failed', { notebookPath: 'broken.ipynb', error }),
        node('fan', 'failed', {
          instances: [
            node('fan', 'failed', { notebookPath: 'fan-0.ipynb', error }),
            node('fan', 'failed', { notebookPath: 'fan-1.ipynb', error }),
          ],
        }),
        node('gone', 'succeeded', { notebookPath: 'gone.ipynb' }),
      ],
      {
        'broken.ipynb': '{"nbformat": 4, "cells": [',
        'fan-0.ipynb': notebook([
          { ...code([{ output_type: 'error', ename: 'KeyError', evalue: "'x'", traceback: [] }]), source: 'd["x"]' },
        ]),
        'fan-1.ipynb': 'not json at all',
      },
      { status: 'failed' },
    );
    const data = await readReportRun(dir);
    expect(data.missing).toHaveLength(3);
    expect(data.missing[0]).toMatch(/^the notebook of broken could not be read \(.*broken\.ipynb\): .*not valid JSON/);
    expect(data.missing[1]).toMatch(/^the notebook of fan\[1\] could not be read \(.*fan-1\.ipynb\): .*not valid JSON/);
    expect(data.missing[2]).toMatch(/^the notebook of gone could not be read \(.*gone\.ipynb\): notebook not found/);
    expect(data.failingCells).toEqual({ 'fan[0]': 'd["x"]' });
  });
});
