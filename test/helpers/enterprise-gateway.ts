// A real Jupyter Enterprise Gateway 3.3 on 127.0.0.1 (its local process proxy), from the
// project's .venv-gateway (scripts/setup-python.mjs makes it): for the scale-out tests.
import { type ResultPromise, execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './jupyter-servers.js';
import { repoRoot } from './paths.js';

export interface Gateway {
  url: string;
  token: string;
  proc: ResultPromise;
  log: () => string;
  /** GET /api/kernels: how many kernels it runs now. */
  kernels(): Promise<number>;
  stop(): Promise<void>;
}

const venv = join(repoRoot, '.venv-gateway');

export async function startGateway(): Promise<Gateway> {
  const jupyter = join(venv, 'bin', 'jupyter');
  if (!existsSync(jupyter)) throw new Error(`no Enterprise Gateway at ${venv}: run \`node scripts/setup-python.mjs\` (npm run setup does)`);
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  let log = '';
  const proc = execa(
    jupyter,
    [
      'enterprisegateway',
      '--ip=127.0.0.1',
      `--port=${port}`,
      `--EnterpriseGatewayApp.auth_token=${token}`,
      // Kernels start in the folder flow asks for (KERNEL_WORKING_DIR): the gateway shares this filesystem.
      '--EnterpriseGatewayApp.mirror_working_dirs=True',
      // The tests may run as root, whom the gateway refuses by default.
      '--EnterpriseGatewayApp.unauthorized_users=[]',
      // GET /api/kernels, to see that flow leaves no kernel behind.
      '--EnterpriseGatewayApp.list_kernels=True',
    ],
    // Run from /: a kernel's `path` is relative to the gateway's folder, as to a server's root_dir.
    { reject: false, all: true, cleanup: true, cwd: '/', env: { PATH: `${join(venv, 'bin')}:${process.env.PATH}` } },
  );
  proc.all?.on('data', (d: Buffer) => {
    log = (log + d.toString()).slice(-20_000);
  });
  const url = `http://127.0.0.1:${port}`;
  const headers = { Authorization: `token ${token}` };
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/api/kernelspecs`, { headers })).ok) break;
    } catch {
      // not up yet
    }
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`Enterprise Gateway did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    token,
    proc,
    log: () => log,
    kernels: async () => ((await (await fetch(`${url}/api/kernels`, { headers })).json()) as unknown[]).length,
    stop: async () => {
      proc.kill('SIGTERM');
      await proc;
    },
  };
}
