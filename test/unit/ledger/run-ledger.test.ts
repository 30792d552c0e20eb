import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/events/run-event.js';
import { RunLedger } from '../../../src/ledger/run-ledger.js';
import type { RunRecord } from '../../../src/ledger/run-record.js';
import { fixture, recordRun } from './ledger-fixture.js';

describe('RunLedger', () => {
  it('appends every event to events.ndjson and writes run.json with the evidence', async () => {
    const f = fixture();
    const { ledger, runDir } = await recordRun(f, { a: { outputs: { n: 2 } }, c: { fail: 'error' } });
    const lines = readFileSync(join(runDir, 'events.ndjson'), 'utf8').trimEnd().split('\n');
    const events = lines.map((l) => JSON.parse(l) as RunEvent);
    expect(events[0]).toMatchObject({ type: 'run_started', params: { year: 2025 } });
    expect(events.at(-1)).toMatchObject({ type: 'run_finished', status: 'failed', exitCode: 1 });
    expect(
      events
        .filter((e) => e.type === 'node_finished')
        .map((e) => e.node)
        .sort(),
    ).toEqual(['a', 'b', 'c']);

    const record = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as RunRecord;
    expect(record).toMatchObject({
      schemaVersion: 1,
      flowVersion: '9.9.9',
      runId: '20261126T093000Z-3f9a',
      workflow: 'wf',
      workflowFile: '/wf/wf.yml',
      workflowHash: 'h',
      params: { year: 2025 },
      status: 'failed',
      exitCode: 1,
    });
    expect(record.nodes.b).toMatchObject({ status: 'skipped', skip: { kind: 'condition_false', operands: { 'nodes.a.outputs.n': 2 } } });
    expect(record.nodes.a).toMatchObject({ status: 'succeeded', outputs: { n: 2 }, notebookPath: join(runDir, 'a.ipynb') });
    expect(record.workflowSnapshot.nodes.b).toEqual({
      notebook: join(f.root, 'nb', 'b.ipynb'),
      notebookAsWritten: 'nb/b.ipynb',
      notebookHash: createHash('sha256').update('{"id":"b"}').digest('hex'),
      needs: ['a'],
      next: [],
      params: { n: '${{ nodes.a.outputs.n }}' },
      outputs: {},
      if: 'nodes.a.outputs.n > 5',
      runIf: 'none_failed_min_one_success',
    });
    expect(record.nodes).toEqual(JSON.parse(JSON.stringify(ledger.state.nodes)));
    // Only the final files: temp files were renamed away.
    expect(readdirSync(runDir).sort()).toEqual(['events.ndjson', 'run.json']);
  });

  it('keeps run.json current during the run, never half-written', async () => {
    const f = fixture();
    const runDir = join(f.root, 'run');
    mkdirSync(runDir);
    const ledger = await RunLedger.open({ runDir, workflow: f.wf, flowVersion: '1' });
    const at = '2026-11-26T09:30:00.000Z';
    ledger.handle({
      type: 'run_started',
      at,
      runId: 'r',
      workflow: 'wf',
      workflowFile: '/wf/wf.yml',
      runDir: runDir,
      params: {},
      nodes: [{ id: 'a', notebook: 'nb/a.ipynb' }],
    });
    ledger.handle({ type: 'node_queued', at, node: 'a' });
    ledger.handle({ type: 'node_started', at, node: 'a', attempt: 1, maxAttempts: 1, notebookPath: 'x', params: {} });
    await ledger.flush();
    const mid = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as RunRecord;
    expect(mid.status).toBe('running');
    expect(mid.nodes.a.status).toBe('running');
    ledger.handle({ type: 'node_output', at, node: 'a', attempt: 1, stream: 'stdout', text: 'hello\n' });
    await ledger.close();
    const end = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as RunRecord;
    expect(end.nodes.a.lastOutput).toEqual(['hello']);
  });

  it('reports a write error on close', async () => {
    const f = fixture();
    const ledger = await RunLedger.open({ runDir: join(f.root, 'missing'), workflow: f.wf, flowVersion: '1' });
    ledger.handle({ type: 'log', at: '2026-11-26T09:30:00.000Z', level: 'info', message: 'x' });
    // As what it means for the run (RecordWriteError, exit 1), naming the folder and the next step.
    await expect(ledger.close()).rejects.toThrow(/^the run directory .*missing is gone \(deleted while the run went on\)[\s\S]*flow run/);
  });
});
