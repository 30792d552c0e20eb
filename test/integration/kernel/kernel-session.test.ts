import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelSession } from '../../../src/kernel/kernel-session.js';
import type { JupyterServer } from '../../../src/kernel/jupyter-server.js';
import { startTestServer } from '../../helpers/server.js';

let server: JupyterServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

function collect() {
  const messages: [string, Record<string, unknown>][] = [];
  return { messages, onIOPub: (t: string, c: Record<string, unknown>) => messages.push([t, c]) };
}

describe('KernelSession on a real server', () => {
  it('starts in the requested folder and captures stream and execute_result', async () => {
    const k = await KernelSession.start({ endpoint: server, path: 'tmp' });
    try {
      const c = collect();
      const r = await k.execute('import os\nprint(os.getcwd())\n6*7', c);
      expect(r.status).toBe('ok');
      expect(c.messages[0]).toEqual(['stream', { name: 'stdout', text: '/tmp\n' }]);
      expect(c.messages[1]?.[0]).toBe('execute_result');
      expect((c.messages[1]![1].data as Record<string, string>)['text/plain']).toBe('42');
      expect(k.languageInfo.name).toBe('python');
    } finally {
      await k.shutdown();
    }
  });

  it('reports a raised exception with ename, evalue and traceback', async () => {
    const k = await KernelSession.start({ endpoint: server });
    try {
      const r = await k.execute('raise ValueError("bad row 7")');
      expect(r).toMatchObject({ status: 'error', ename: 'ValueError', evalue: 'bad row 7' });
      if (r.status === 'error') expect(r.traceback.join('\n')).toContain('ValueError');
    } finally {
      await k.shutdown();
    }
  });

  it('interrupts a cell past its timeout and the kernel stays usable', async () => {
    const k = await KernelSession.start({ endpoint: server });
    try {
      const r = await k.execute('import time\ntime.sleep(30)', { timeoutMs: 300 });
      expect(r.status).toBe('timeout');
      const again = await k.execute('1+1');
      expect(again.status).toBe('ok');
    } finally {
      await k.shutdown();
    }
  });

  it('detects a kernel that dies (os._exit) as died, without hanging', async () => {
    const k = await KernelSession.start({ endpoint: server });
    try {
      const r = await k.execute('import os\nos._exit(1)');
      expect(r.status).toBe('died');
      expect(k.dead).toBeDefined();
      expect((await k.execute('1')).status).toBe('died');
    } finally {
      await k.shutdown();
    }
  });

  it('finishes a request whose idle status never comes (dropped under load), once its output goes quiet', async () => {
    const k = await KernelSession.start({ endpoint: server });
    try {
      // The kernel skips the next idle it would publish, as if ZeroMQ had dropped it.
      const skipIdle = [
        'k = get_ipython().kernel',
        'publish = k._publish_status',
        'def skip(status, channel, parent=None):',
        '    if status == "idle":',
        '        k._publish_status = publish',
        '        return',
        '    publish(status, channel, parent)',
        'k._publish_status = skip',
        'print("printed")',
      ].join('\n');
      const c = collect();
      const r = await k.execute(skipIdle, c);
      expect(r).toMatchObject({ status: 'ok', outputsIncomplete: true });
      expect(c.messages).toEqual([['stream', { name: 'stdout', text: 'printed\n' }]]);
      // With its idle back, the next request ends as usual.
      expect(await k.execute('1 + 1')).not.toHaveProperty('outputsIncomplete');
    } finally {
      await k.shutdown();
    }
  });

  it('names the available kernels when asked for an unknown one', async () => {
    await expect(KernelSession.start({ endpoint: server, kernelName: 'no-such-kernel' })).rejects.toThrow(
      /no kernel named "no-such-kernel" on the Jupyter server[\s\S]*available kernels: .*python3/,
    );
  });

  it('cancels a running cell through an AbortSignal', async () => {
    const k = await KernelSession.start({ endpoint: server });
    try {
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 300);
      const r = await k.execute('import time\ntime.sleep(30)', { signal: ac.signal });
      expect(r.status).toBe('cancelled');
    } finally {
      await k.shutdown();
    }
  });

  it('keeps the server token out of kernels (a notebook printing os.environ cannot leak it)', async () => {
    const k = await KernelSession.start({ endpoint: server });
    try {
      const c = collect();
      await k.execute('import os\nprint(repr(os.environ.get("JUPYTER_TOKEN")))', c);
      expect(c.messages).toEqual([['stream', { name: 'stdout', text: 'None\n' }]]);
      const refused = await fetch(`${server.baseUrl}/api/kernels`, { headers: { Authorization: 'token not-the-token' } });
      expect(refused.status).toBe(403);
    } finally {
      await k.shutdown();
    }
  });
});
