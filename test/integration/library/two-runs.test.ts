// Runs through the public API, in one process: one after the other and at once, on one server and
// on two. Nothing may leak from a run: no kernel left on the server, no signal or rejection
// listener, no timer, socket or child process, no open file.
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectJupyter, type JupyterServer, type RunEvent, type RunResult, runWorkflow } from '../../../src/index.js';
import { restRequest } from '../../../src/kernel/kernel-rest.js';
import { fixturesDir } from '../../helpers/paths.js';

const workflow = join(fixturesDir, 'two-node', 'wf.yml');
let runsDir: string;
beforeAll(() => {
  runsDir = mkdtempSync(join(tmpdir(), 'flow-two-runs-'));
});
afterAll(() => rmSync(runsDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));

/** What a run could leave behind in this process. */
function processFootprint() {
  const resources = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap');
  const count = (kind: string) => resources.filter((r) => r === kind).length;
  return {
    listeners: ['SIGINT', 'SIGTERM', 'unhandledRejection', 'uncaughtException', 'exit'].map((e) => `${e}:${process.listenerCount(e)}`),
    timers: count('Timeout'),
    sockets: count('TCPSocketWrap') + count('TCPServerWrap'),
    children: count('ProcessWrap'),
    files: openFiles(),
  };
}

/** What this process's file descriptors point at (files, pipes, sockets), sorted. */
function openFiles(): string[] {
  const targets = readdirSync('/proc/self/fd').map((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      return 'closed'; // the descriptor readdir itself used
    }
  });
  return targets.filter((t) => t !== 'closed').sort();
}

/** The footprint once pending closes have settled (a socket's close takes a turn or two). */
async function settledFootprint(): Promise<ReturnType<typeof processFootprint>> {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 50));
  return processFootprint();
}

/** The kernels on the server (over node:http: fetch's keep-alive socket would count as a leak). */
async function kernelsOn(server: JupyterServer): Promise<unknown[]> {
  const res = await restRequest(server, 'GET', '/api/kernels');
  return JSON.parse(res.body) as unknown[];
}

function expectSucceeded(r: RunResult, rows: number) {
  expect(r.status).toBe('succeeded');
  expect(r.exitCode).toBe(0);
  // count.ipynb: total = rows * 2; report.ipynb: doubled = n * 2, given n = total.
  expect(r.nodes.count?.outputs).toEqual({ total: 2 * rows });
  expect(r.nodes.report?.outputs).toEqual({ doubled: 4 * rows });
  const record = JSON.parse(readFileSync(join(r.runDir, 'run.json'), 'utf8')) as { runId: string; status: string };
  expect(record).toMatchObject({ runId: r.runId, status: 'succeeded' });
}

describe('two runs in one process', () => {
  it('one after the other, each on its own embedded server, leaving nothing behind', async () => {
    const before = await settledFootprint();
    const events: RunEvent['type'][][] = [[], []];
    const first = await runWorkflow({ workflow, runsDir, params: { rows: 4 }, onEvent: (e) => events[0]!.push(e.type) });
    const second = await runWorkflow({ workflow, runsDir, params: { rows: 6 }, onEvent: (e) => events[1]!.push(e.type) });
    expectSucceeded(first, 4);
    expectSucceeded(second, 6);
    expect(first.runId).not.toBe(second.runId);
    for (const types of events) {
      expect(types[0]).toBe('run_started');
      expect(types.at(-1)).toBe('run_finished');
    }
    expect(await settledFootprint()).toEqual(before);
  });

  it('at once on one shared server: the server is the caller’s, and has no kernel left after them', async () => {
    const server = await connectJupyter();
    try {
      const before = await settledFootprint();
      const [a, b] = await Promise.all([
        runWorkflow({ workflow, runsDir, params: { rows: 2 }, server }),
        runWorkflow({ workflow, runsDir, params: { rows: 3 }, server }),
      ]);
      expectSucceeded(a, 2);
      expectSucceeded(b, 3);
      // Each run's notebooks are its own, although both ran on one server at the same time.
      expect(readFileSync(join(a.runDir, 'count.ipynb'), 'utf8')).toContain('"rows": 2');
      expect(readFileSync(join(b.runDir, 'count.ipynb'), 'utf8')).toContain('"rows": 3');
      expect(await kernelsOn(server)).toEqual([]);
      expect(await settledFootprint()).toEqual(before);
      // Still the caller's to use: a third run on it works.
      expectSucceeded(await runWorkflow({ workflow, runsDir, params: { rows: 1 }, server }), 1);
    } finally {
      await server.stop();
    }
  });

  it('at once on two embedded servers, and cancelling one leaves the other running to its end', async () => {
    const before = await settledFootprint();
    const ac = new AbortController();
    const [a, b] = await Promise.all([
      runWorkflow({
        workflow,
        runsDir,
        params: { rows: 5 },
        signal: ac.signal,
        onEvent: (e) => e.type === 'node_started' && ac.abort('SIGTERM'),
      }),
      runWorkflow({ workflow, runsDir, params: { rows: 7 } }),
    ]);
    expect(a.status).toBe('cancelled');
    expect(a.exitCode).toBe(143);
    expectSucceeded(b, 7);
    expect(await settledFootprint()).toEqual(before);
  });
});
