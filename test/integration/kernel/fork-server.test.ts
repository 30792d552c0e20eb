// Forked kernels on a real server, through its REST API: the server has a record of each (it
// adopted them through its provisioner), interrupts them, restarts them (forked again), and
// sees them die.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JupyterServer } from '../../../src/kernel/jupyter-server.js';
import { restRequest } from '../../../src/kernel/kernel-rest.js';
import { KernelSession } from '../../../src/kernel/kernel-session.js';
import { startTestServer } from '../../helpers/server.js';

let server: JupyterServer;
beforeAll(async () => {
  // Forking on, even when the suite runs with FLOW_FORK=0.
  server = await startTestServer({ fork: true });
});
afterAll(async () => {
  await server?.stop();
});

/** What the kernel prints on stdout for `code`. */
async function stdout(k: KernelSession, code: string): Promise<string> {
  let text = '';
  const r = await k.execute(code, {
    onIOPub: (type, content) => {
      if (type === 'stream') text += (content as { text: string }).text;
    },
  });
  expect(r.status).toBe('ok');
  return text.trim();
}

const WHO = 'import os\nppid = os.getppid()\nprint(os.getpid(), "flow_jupyter/forkserver.py" in open(f"/proc/{ppid}/cmdline").read())';

describe('a forked kernel through the server', () => {
  it('is listed by the server, interrupted through POST …/interrupt, restarted (forked again) through POST …/restart', async () => {
    const k = await KernelSession.start({ endpoint: server });
    try {
      const [pid, forked] = (await stdout(k, WHO)).split(' ');
      expect(forked).toBe('True');
      const listed = await restRequest(server, 'GET', '/api/kernels');
      expect(JSON.parse(listed.body).map((m: { id: string }) => m.id)).toContain(k.id);

      // A cell that sleeps, interrupted through the REST API as flow's timeouts do.
      const running = k.execute('import time\ntime.sleep(60)');
      await new Promise((r) => setTimeout(r, 500));
      const interrupted = await restRequest(server, 'POST', `/api/kernels/${k.id}/interrupt`);
      expect(interrupted.status).toBe(204);
      expect(await running).toMatchObject({ status: 'error', ename: 'KeyboardInterrupt' });

      const restarted = await restRequest(server, 'POST', `/api/kernels/${k.id}/restart`, { timeoutMs: 30_000 });
      expect(restarted.status).toBe(200);
      // The websocket carries on after a restart; the process is a new fork.
      let after = '';
      for (let tries = 0; tries < 50 && !after; tries++) {
        after = await stdout(k, WHO).catch(() => '');
        if (!after) await new Promise((r) => setTimeout(r, 100));
      }
      const [pid2, forked2] = after.split(' ');
      expect(forked2).toBe('True');
      expect(pid2).not.toBe(pid);
    } finally {
      await k.shutdown();
    }
  }, 60_000);

  it('dies as a launched kernel does: os._exit is seen as died, and the server forgets it on shutdown', async () => {
    const k = await KernelSession.start({ endpoint: server });
    const r = await k.execute('import os\nos._exit(3)');
    expect(r.status).toBe('died');
    await k.shutdown();
    const listed = await restRequest(server, 'GET', '/api/kernels');
    expect(JSON.parse(listed.body).map((m: { id: string }) => m.id)).not.toContain(k.id);
  }, 60_000);
});
