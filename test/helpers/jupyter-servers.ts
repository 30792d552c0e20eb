// Plain Jupyter Servers on 127.0.0.1, started here as a user would start one by hand (not by
// flow), for the server-pool tests: each with its own token and root folder.
import { type ResultPromise, execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

export interface PlainServer {
  url: string;
  token: string;
  pid: number;
  proc: ResultPromise;
  /** GET /api/kernels: the kernels it runs now. */
  kernels(): Promise<number>;
  /** Of those, the ones running a cell now (execution_state busy). */
  busyKernels(): Promise<number>;
  kill(signal?: NodeJS.Signals): void;
  stop(): Promise<void>;
}

/** A port free on 127.0.0.1 now (for a server a test starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export async function startPlainServer(opts: { rootDir?: string } = {}): Promise<PlainServer> {
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const url = `http://127.0.0.1:${port}`;
  const proc = execa(
    join(repoRoot, '.venv', 'bin', 'jupyter'),
    [
      'server',
      '--no-browser',
      '--ip=127.0.0.1',
      `--port=${port}`,
      `--IdentityProvider.token=${token}`,
      `--ServerApp.root_dir=${opts.rootDir ?? '/'}`,
      '--ServerApp.port_retries=0',
      // The tests may run as root (in CI, in a container), which Jupyter refuses without this.
      ...(process.getuid?.() === 0 ? ['--allow-root'] : []),
    ],
    { reject: false, stdio: 'ignore', cleanup: true },
  );
  const headers = { Authorization: `token ${token}` };
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const r = await fetch(`${url}/api/status`, { headers });
      if (r.ok) break;
    } catch {
      // not up yet
    }
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`jupyter server on ${port} did not start`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const listKernels = async (): Promise<{ execution_state?: string }[]> => {
    const r = await fetch(`${url}/api/kernels`, { headers });
    const body = (await r.json()) as unknown;
    if (!r.ok || !Array.isArray(body)) throw new Error(`GET /api/kernels: HTTP ${r.status} ${JSON.stringify(body)}`);
    return body as { execution_state?: string }[];
  };
  return {
    url,
    token,
    pid: proc.pid!,
    proc,
    kernels: async () => (await listKernels()).length,
    busyKernels: async () => (await listKernels()).filter((k) => k.execution_state === 'busy').length,
    kill: (signal = 'SIGKILL') => {
      proc.kill(signal);
    },
    stop: async () => {
      proc.kill('SIGTERM');
      await proc;
    },
  };
}
