// flow's own kernel client (REST over node:http, websocket over ws) on a real server: every
// outcome of an execute, a kernel's death, and nothing left behind after shutdown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JupyterServer } from '../../../src/kernel/jupyter-server.js';
import { getKernel } from '../../../src/kernel/kernel-rest.js';
import { KernelSession } from '../../../src/kernel/kernel-session.js';
import { startTestServer } from '../../helpers/server.js';

let server: JupyterServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

/** The resources a leak would show as: open sockets and pending timers. */
function leakable(): { sockets: number; timers: number } {
  const info = process.getActiveResourcesInfo();
  return { sockets: info.filter((r) => r === 'TCPSocketWrap').length, timers: info.filter((r) => r === 'Timeout').length };
}

/** Starts a kernel, runs `use` on it, shuts it down, and checks it left no socket or timer behind. */
async function withKernel(use: (k: KernelSession) => Promise<void>): Promise<void> {
  const before = leakable();
  const k = await KernelSession.start({ endpoint: server });
  try {
    await use(k);
  } finally {
    await k.shutdown();
  }
  const after = leakable();
  expect(after.sockets).toBeLessThanOrEqual(before.sockets);
  expect(after.timers).toBeLessThanOrEqual(before.timers);
  expect(await getKernel(server, k.id)).toBeUndefined();
}

describe('the kernel client on a real server', () => {
  it('runs code to ok, with the kernel info, the execution count and the timings', async () => {
    await withKernel(async (k) => {
      expect(k.languageInfo).toMatchObject({ name: 'python', file_extension: '.py' });
      const outputs: string[] = [];
      const r = await k.execute('print("hi")\n6*7', { onIOPub: (type) => outputs.push(type) });
      expect(r).toMatchObject({ status: 'ok', executionCount: 1 });
      expect(outputs).toEqual(['stream', 'execute_result']);
      expect(Object.keys(r.timing).sort()).toEqual([
        'iopub.execute_input',
        'iopub.status.busy',
        'iopub.status.idle',
        'shell.execute_reply',
      ]);
      expect(k.executionState).toBe('idle');
      expect(await getKernel(server, k.id)).toMatchObject({ id: k.id, name: 'python3' });
    });
  });

  it('reports an exception as error, and silent requests leave the execution count alone', async () => {
    await withKernel(async (k) => {
      expect((await k.execute('x = 1', { silent: true })).status).toBe('ok');
      const r = await k.execute('raise KeyError(x)');
      expect(r).toMatchObject({ status: 'error', executionCount: 1, ename: 'KeyError', evalue: '1' });
    });
  });

  it('interrupts a cell past its timeout, and the kernel stays usable', async () => {
    await withKernel(async (k) => {
      const r = await k.execute('import time\ntime.sleep(30)', { timeoutMs: 200 });
      expect(r.status).toBe('timeout');
      expect((await k.execute('1+1')).status).toBe('ok');
    });
  });

  it('cancels a cell through an AbortSignal, already aborted or aborted while it runs', async () => {
    await withKernel(async (k) => {
      expect((await k.execute('1', { signal: AbortSignal.abort() })).status).toBe('cancelled');
      const r = await k.execute('import time\ntime.sleep(30)', { signal: AbortSignal.timeout(200) });
      expect(r.status).toBe('cancelled');
      expect((await k.execute('2+2')).status).toBe('ok');
    });
  });

  it('detects a kernel that exits mid-cell as died, and says so from then on', async () => {
    await withKernel(async (k) => {
      const r = await k.execute('import os\nos._exit(1)');
      expect(r).toMatchObject({ status: 'died', message: expect.stringMatching(/^the kernel died/) });
      expect(k.dead).toMatch(/^the kernel died/);
      expect(await k.execute('1')).toMatchObject({ status: 'died' });
    });
  });

  it('shuts down twice, and reports the kernel as shut down after', async () => {
    await withKernel(async (k) => {
      await k.shutdown();
      await k.shutdown();
      expect(k.dead).toBe('the kernel was shut down');
      expect(await k.execute('1')).toMatchObject({ status: 'died' });
    });
  });

  it('refuses a wrong token with a kernel start error, leaving nothing open', async () => {
    const before = leakable();
    await expect(KernelSession.start({ endpoint: { baseUrl: server.baseUrl, token: 'not-the-token' } })).rejects.toThrow(
      /the Jupyter server refused to start kernel "python3": HTTP 403/,
    );
    expect(leakable().sockets).toBeLessThanOrEqual(before.sockets);
  });
});
