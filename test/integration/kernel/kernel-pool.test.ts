// KernelPool on a real server: kernels reserved for the node they were pre-warmed for, background
// shutdown, nothing left running after close(); and the server's fast start path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findJupyter } from '../../../src/kernel/find-jupyter.js';
import { serverCommand, type JupyterServer } from '../../../src/kernel/jupyter-server.js';
import { KernelPool } from '../../../src/kernel/kernel-pool.js';
import { startTestServer } from '../../helpers/server.js';
import { repoRoot } from '../../helpers/paths.js';

let server: JupyterServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

async function kernelIds(): Promise<string[]> {
  const res = await fetch(`${server.baseUrl}/api/kernels`, { headers: { Authorization: `token ${server.token}` } });
  return ((await res.json()) as { id: string }[]).map((k) => k.id).sort();
}

describe('the embedded server', () => {
  it("runs the jupyter script's own Python with the bootstrap, and serves kernels that way", () => {
    const { jupyter } = findJupyter({ cwd: repoRoot });
    expect(serverCommand(jupyter, '/run/flow-jupyter-server.py')).toMatchObject({ fast: true, prefix: ['/run/flow-jupyter-server.py'] });
    expect(serverCommand('/bin/sh', '/run/flow-jupyter-server.py')).toEqual({ file: '/bin/sh', prefix: ['server'], fast: false });
  });
});

describe('KernelPool on a real server', () => {
  it('keeps a pre-warmed kernel for its node, gives other nodes their own, and shuts everything down', async () => {
    const pool = new KernelPool({ endpoint: server, embedded: true, maxWarm: 1 });
    expect(pool.prewarm('python3', '/tmp', 'b')).toBe(true);
    // maxWarm reached, and the warm kernel is not stale: no second pre-warm.
    expect(pool.prewarm('python3', '/tmp', 'c')).toBe(false);

    const a = await pool.acquire('python3', '/tmp', 'a');
    expect(pool.warmCount).toBe(1); // a did not take b's kernel
    const b = await pool.acquire('python3', '/tmp', 'b');
    expect(pool.warmCount).toBe(0);
    expect(b.id).not.toBe(a.id);
    expect(await kernelIds()).toEqual([a.id, b.id].sort());

    const r = await b.execute('import os\nprint(os.getcwd())');
    expect(r.status).toBe('ok');

    pool.release(a);
    pool.release(b);
    expect(pool.prewarm('python3', '/tmp', 'd')).toBe(true); // never used: close() shuts it down
    await pool.close();
    expect(await kernelIds()).toEqual([]);
    expect(pool.prewarm('python3', '/tmp', 'e')).toBe(false);
  });

  it('makes room by shutting down a stale pre-warmed kernel (a branch not taken)', async () => {
    const pool = new KernelPool({ endpoint: server, embedded: true, maxWarm: 1, staleMs: 0 });
    expect(pool.prewarm('python3', '/tmp', 'x')).toBe(true);
    await new Promise((r) => setTimeout(r, 5));
    expect(pool.prewarm('python3', '/tmp', 'y')).toBe(true);
    expect(pool.warmCount).toBe(1);
    const y = await pool.acquire('python3', '/tmp', 'y');
    expect((await y.execute('1')).status).toBe('ok');
    pool.release(y);
    await pool.close();
    expect(await kernelIds()).toEqual([]);
  });

  it('does not pre-warm when free memory is short', async () => {
    const pool = new KernelPool({
      endpoint: server,
      embedded: true,
      maxWarm: 2,
      minFreeMemory: 512 * 2 ** 20,
      freeMemory: () => 100 * 2 ** 20,
    });
    expect(pool.prewarm('python3', '/tmp', 'a')).toBe(false);
    await pool.close();
  });
});
