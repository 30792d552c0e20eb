// Kernels the embedded server starts while it starts itself (KernelPrelaunch, the bootstrap):
// adopted when the same kernel is asked for in the same folder, and then exactly the kernel the
// server would have launched; never left running when nobody asks for one.
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kernelPathFor } from '../../../src/kernel/execute-notebook.js';
import type { JupyterServer } from '../../../src/kernel/jupyter-server.js';
import { KernelPrelaunch } from '../../../src/kernel/kernel-prelaunch.js';
import { KernelSession } from '../../../src/kernel/kernel-session.js';
import { processIsAlive } from '../../../src/process-alive.js';
import { startTestServer } from '../../helpers/server.js';
import { JupyterServerError } from '../../../src/errors.js';

let server: JupyterServer;
const log: string[] = [];
let root: string;
let asked: string;
let unasked: string;

beforeAll(async () => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'flow-prelaunch-')));
  asked = join(root, 'asked');
  unasked = join(root, 'unasked');
  for (const d of [asked, unasked]) mkdirSync(d);
  const prelaunch = new KernelPrelaunch();
  // Before the server is spawned: the requests are written when its stdin is attached.
  prelaunch.request('python3', asked);
  prelaunch.request('python3', unasked);
  server = await startTestServer({ prelaunch, log: (line) => log.push(line) });
});

afterAll(async () => {
  await server?.stop();
  rmSync(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

/**
 * pid of the kernel started (launched, or forked by the fork server) early in `cwd`, from the
 * server's log, once it is there: a forked one waits for the fork server's imports, which may end
 * after the server is up.
 */
async function earlyPid(cwd: string): Promise<number | undefined> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    for (const line of log) {
      const m = /^\[flow prelaunch\] (?:started|forked) kernel python3 early in (.+) \(pid (\d+)\)$/.exec(line);
      if (m && m[1] === cwd) return Number(m[2]);
    }
    if (Date.now() > deadline) return undefined;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function kernelFacts(session: KernelSession): Promise<{ pid: number; cwd: string; token: boolean; parent: string | null }> {
  let text = '';
  const r = await session.execute(
    'import os, json\nprint(json.dumps({"pid": os.getpid(), "cwd": os.getcwd(), "token": "JUPYTER_TOKEN" in os.environ, "parent": os.environ.get("JPY_PARENT_PID")}))',
    { onIOPub: (type, content) => type === 'stream' && (text += (content as { text: string }).text) },
  );
  expect(r.status).toBe('ok');
  return JSON.parse(text) as { pid: number; cwd: string; token: boolean; parent: string | null };
}

describe('kernel prelaunch', () => {
  it('adopts the kernel started early for the same kernel and folder, as the server would have launched it', async () => {
    const pid = await earlyPid(asked);
    expect(pid, log.join('\n')).toBeGreaterThan(0);
    const session = await KernelSession.start({ endpoint: server, path: kernelPathFor(asked) });
    try {
      expect(log).toContain(`[flow prelaunch] adopted the kernel started early (pid ${pid})`);
      const facts = await kernelFacts(session);
      expect(facts.pid).toBe(pid);
      expect(facts.cwd).toBe(asked);
      expect(facts.token).toBe(false);
      expect(Number(facts.parent)).toBeGreaterThan(1);
      // Its stdin is at its end, as jupyter_client leaves a kernel's: a program reading it gets EOF.
      const cat = await session.execute('import subprocess\nassert subprocess.run(["cat"], capture_output=True, timeout=10).stdout == b""');
      expect(cat.status).toBe('ok');
      // The server interrupts it through its own process group, as any kernel it launched.
      const running = session.execute('import time\ntime.sleep(30)', { timeoutMs: 500 });
      expect((await running).status).toBe('timeout');
      expect((await session.execute('1 + 1')).status).toBe('ok');
    } finally {
      await session.shutdown();
    }
    expect(processIsAlive(pid!)).toBe(false);
  });

  it('starts a kernel asked for elsewhere the usual way, and stops the early one nobody asked for with the server', async () => {
    const session = await KernelSession.start({ endpoint: server, path: kernelPathFor(root) });
    try {
      const facts = await kernelFacts(session);
      expect(facts.cwd).toBe(root);
      expect(facts.pid).not.toBe(await earlyPid(unasked));
    } finally {
      await session.shutdown();
    }
    const pid = await earlyPid(unasked);
    expect(pid).toBeGreaterThan(0);
    expect(processIsAlive(pid!)).toBe(true);
    await server.stop();
    expect(processIsAlive(pid!)).toBe(false);
  });
});

describe('kernel prelaunch, when the server start is abandoned', () => {
  it('leaves no kernel it started early behind', async () => {
    const lines: string[] = [];
    const prelaunch = new KernelPrelaunch();
    prelaunch.request('python3', root);
    const ac = new AbortController();
    // A launched early kernel: it starts while the server still imports. A forked one waits for
    // the fork server, by when the server may be up already, and the start could not be given up.
    const starting = startTestServer({
      prelaunch,
      fork: false,
      signal: ac.signal,
      log: (line) => {
        lines.push(line);
        // The kernel has started and the server is still importing: give the start up now.
        if (/^\[flow prelaunch\] (?:started|forked) kernel/.test(line)) ac.abort();
      },
    });
    await expect(starting).rejects.toBeInstanceOf(JupyterServerError);
    const m = lines.map((l) => /\(pid (\d+)\)$/.exec(l)).find(Boolean);
    expect(m, lines.join('\n')).toBeTruthy();
    expect(processIsAlive(Number(m![1]))).toBe(false);
  });
});
