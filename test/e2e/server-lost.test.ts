// The embedded Jupyter server is SIGKILLed while two nodes run on it (server-lost.yml): flow sees
// it within 2 s, both nodes fail as server_lost with their partial notebooks saved, a new server
// is started, both are retried there by their policy, and no process of the old server is left.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/events/run-event.js';
import type { RunRecord } from '../../src/ledger/run-record.js';
import {
  makeSandbox,
  readEvents,
  readNotebook,
  readRun,
  type Sandbox,
  statuses,
  validateNotebooks,
  waitForFile,
} from '../fixtures/e2e/harness.js';
import { formatProcesses, jupyterProcesses, type ProcessInfo, waitForNoJupyter } from '../helpers/processes.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('flow run: the Jupyter server is killed mid-run (server-lost.yml)', () => {
  let box: Sandbox;
  let exitCode: number | undefined;
  let output: string;
  let runDir: string;
  let run: RunRecord;
  let events: RunEvent[];
  let killedAt: number;
  let oldServer: ProcessInfo;
  let oldKernels: ProcessInfo[];
  let left: ProcessInfo[];

  beforeAll(async () => {
    box = makeSandbox();
    const proc = box.flow(['run', box.workflow('server-lost'), '-p', `dir=${box.dir}`]);
    const flowPid = proc.pid!;
    const started = ['left', 'right'].map((n) => join(box.dir, `${n}.started`));
    for (const f of started) await waitForFile(f, proc);
    const before = jupyterProcesses(flowPid);
    const servers = before.filter((p) => p.kind === 'jupyter-server');
    expect(servers, formatProcesses(before)).toHaveLength(1);
    oldServer = servers[0]!;
    oldKernels = before.filter((p) => p.kind === 'kernel');
    // Attempt 2 of each node makes its `started` file again, on the new server.
    for (const f of started) rmSync(f);
    killedAt = Date.now();
    process.kill(oldServer.pid, 'SIGKILL');
    for (const f of started) await waitForFile(f, proc, 60_000);
    // Both retries run: let them finish.
    writeFileSync(join(box.dir, 'release'), '');
    const result = await proc;
    exitCode = result.exitCode;
    output = String(result.all);
    left = await waitForNoJupyter(flowPid, 10_000);
    [runDir] = box.runDirs('server-lost');
    run = readRun(runDir);
    events = readEvents(runDir);
  }, 120_000);
  afterAll(() => box?.cleanup());

  it('retries both nodes on a new server and succeeds', () => {
    expect(exitCode, output).toBe(0);
    expect(statuses(run)).toEqual({ left: 'succeeded', right: 'succeeded', after: 'succeeded' });
    for (const id of ['left', 'right']) {
      expect(run.nodes[id]!.attempts.map((a) => [a.attempt, a.error?.errorClass])).toEqual([
        [1, 'server_lost'],
        [2, undefined],
      ]);
    }
    expect(run.nodes.after!.outputs).toEqual({ result: 6 });
    expect(
      box
        .trace()
        .filter((l) => l === 'left' || l === 'right')
        .sort(),
    ).toEqual(['left', 'left', 'right', 'right']);
  });

  it('sees the server gone within 2 s and says what happened', () => {
    const failed = events.filter((e) => e.type === 'attempt_failed');
    expect(failed).toHaveLength(2);
    for (const e of failed) {
      expect(e).toMatchObject({ attempt: 1, error: { errorClass: 'server_lost' } });
      expect(Date.parse(e.at) - killedAt).toBeLessThan(2000);
      expect((e as { error: { message: string } }).error.message).toMatch(/^the Jupyter server stopped while the node ran: /);
    }
    expect(output).toMatch(/the Jupyter server stopped .*; starting a new one/);
    expect(readFileSync(join(runDir, 'jupyter-server.log'), 'utf8')).toContain('flow: the Jupyter server had stopped; starting a new one');
  });

  it("keeps each lost attempt's notebook: the waiting cell failed, with what ran before it", () => {
    const paths = ['left', 'right'].map((n) => join(runDir, `${n}.attempt-1.ipynb`));
    for (const p of paths) expect(existsSync(p), p).toBe(true);
    validateNotebooks([...paths, join(runDir, 'left.ipynb'), join(runDir, 'right.ipynb')]);
    const lost = readNotebook(paths[0]!);
    const waiting = lost.cells.findIndex((c) => c.source.includes('while not'));
    expect(lost.cells[waiting]!.status).toBe('failed');
    expect(lost.cells[waiting]!.outputs.map((o) => o.ename)).toContain('DeadKernelError');
    expect(lost.cells.slice(0, waiting).map((c) => c.status)).not.toContain('failed');
  });

  it('leaves no process behind: neither the old server, nor its kernels, nor the new server', () => {
    expect(oldKernels.length).toBeGreaterThanOrEqual(2);
    expect([oldServer, ...oldKernels].filter((p) => alive(p.pid)).map((p) => p.cmdline)).toEqual([]);
    expect(left, formatProcesses(left)).toEqual([]);
  });
});
