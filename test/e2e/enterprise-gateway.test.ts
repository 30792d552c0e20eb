// Jupyter Enterprise Gateway 3.3 on loopback (its local process proxy), started here: flow starts,
// runs, interrupts and stops kernels through it, as one server of a pool and with --server-url.
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Gateway, startGateway } from '../helpers/enterprise-gateway.js';
import { cliPath, fixturesDir, repoRoot } from '../helpers/paths.js';

let tmp: string;
let eg: Gateway;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'flow-eg-'));
  eg = await startGateway();
}, 120_000);

afterAll(async () => {
  await eg?.stop();
  rmSync(tmp, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

async function run(nodes: string) {
  const file = join(tmp, `wf-${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(file, `name: gateway\nservers:\n  eg: { url: ${eg.url}, token_env: EG_TOKEN, root_dir: / }\nnodes:\n${nodes}\n`);
  const r = await execa('node', [cliPath, 'run', file, '--reporter', 'plain', '--runs-dir', join(tmp, 'runs')], {
    cwd: repoRoot,
    reject: false,
    env: { NO_COLOR: '1', EG_TOKEN: eg.token },
  });
  const dir = /^run directory: (.+)$/m.exec(r.stdout)?.[1];
  if (!dir) throw new Error(`no run directory:\n${r.stdout}\n${r.stderr}\n${eg.log()}`);
  return { ...r, record: JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) };
}

describe('Jupyter Enterprise Gateway', () => {
  it('runs a node on a gateway kernel started in the notebook folder, and stops it after', async () => {
    const r = await run(`  hello:
    notebook: ${join(fixturesDir, 'pool', 'sleep.ipynb')}
    params: { seconds: 0.2 }
    outputs: { cwd: string, here: string }`);
    expect(r.exitCode, r.stdout + r.stderr + eg.log()).toBe(0);
    expect(r.record.nodes.hello.outputs).toEqual({ cwd: join(fixturesDir, 'pool'), here: 'pool' });
    expect(r.record.logs.some((l: { message: string }) => l.message.startsWith('on server eg'))).toBe(true);
    expect(eg.log()).toMatch(/Local kernel launched/);
    expect(await eg.kernels()).toBe(0);
  }, 120_000);

  it('interrupts a cell at its timeout through the gateway, and stops the kernel', async () => {
    const r = await run(`  slow:
    notebook: ${join(fixturesDir, 'pool', 'sleep.ipynb')}
    params: { seconds: 60 }
    cell_timeout: 2s`);
    expect(r.exitCode).toBe(1);
    expect(r.record.nodes.slow.attempts.at(-1).error.errorClass).toBe('timeout');
    expect(eg.log()).toMatch(/interrupt/i);
    expect(await eg.kernels()).toBe(0);
  }, 120_000);

  it('flow exec --server-url: the gateway (which has no /api/status) runs the notebook', async () => {
    const out = join(tmp, 'hello-out.ipynb');
    const r = await execa(
      'node',
      [cliPath, 'exec', join(fixturesDir, 'pool', 'hello.ipynb'), out, '-p', 'x', '41', '--server-url', eg.url],
      {
        cwd: repoRoot,
        reject: false,
        env: { JUPYTER_TOKEN: eg.token },
      },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('x + 1 = 42');
  }, 120_000);
});
