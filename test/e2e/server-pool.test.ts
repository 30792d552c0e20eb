// A pool of Jupyter servers: the embedded one plus two plain Jupyter Servers started here as a
// user would start them, sharing this filesystem. Nodes spread over them within each max_kernels,
// a pinned node goes where it is pinned, and a server that is wrong or dies is left out.
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HESA_CLEAN_STATUSES } from '../helpers/example-run.js';
import { type PlainServer, startPlainServer } from '../helpers/jupyter-servers.js';
import { cliPath, fixturesDir, repoRoot } from '../helpers/paths.js';

const notebook = join(fixturesDir, 'pool', 'sleep.ipynb');
let tmp: string;
let a: PlainServer;
let b: PlainServer;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'flow-pool-'));
  [a, b] = await Promise.all([startPlainServer(), startPlainServer()]);
}, 120_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  rmSync(tmp, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

interface RunRecord {
  status: string;
  logs: { level: string; message: string; node?: string }[];
  nodes: Record<
    string,
    {
      status: string;
      outputs?: Record<string, unknown>;
      attempts: { notebookPath?: string; error?: { errorClass: string } }[];
      instances?: RunRecord['nodes'][string][];
    }
  >;
}

function workflow(name: string, servers: string, nodes: string): string {
  const file = join(tmp, `${name}.yml`);
  writeFileSync(file, `name: ${name}\nconcurrency: 6\nservers:\n${servers}\nnodes:\n${nodes}\n`);
  return file;
}

async function run(file: string, env: Record<string, string>, whileRunning?: () => Promise<void>) {
  const proc = execa('node', [cliPath, 'run', file, '--reporter', 'plain', '--runs-dir', join(tmp, 'runs')], {
    cwd: repoRoot,
    reject: false,
    env: { NO_COLOR: '1', ...env },
  });
  const during = whileRunning?.();
  const r = await proc;
  await during;
  const dir = /^run directory: (.+)$/m.exec(r.stdout)?.[1];
  if (!dir) throw new Error(`no run directory:\n${r.stdout}\n${r.stderr}`);
  return { ...r, dir, record: JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunRecord };
}

/** Polls both servers' kernel counts until `done` resolves; the most each ran at once. */
function watchKernels(done: Promise<unknown>): Promise<{ a: number; b: number }> {
  return (async () => {
    const max = { a: 0, b: 0 };
    let over = false;
    void done.finally(() => {
      over = true;
    });
    while (!over) {
      // Jupyter Server answers 500 now and then while a kernel starts or stops: that tick is skipped.
      const [ka, kb] = await Promise.all([a.kernels().catch(() => 0), b.kernels().catch(() => 0)]);
      max.a = Math.max(max.a, ka);
      max.b = Math.max(max.b, kb);
      await new Promise((r) => setTimeout(r, 100));
    }
    return max;
  })();
}

const placed = (rec: RunRecord) =>
  rec.logs.filter((l) => l.message.startsWith('on server')).map((l) => l.message.split(',')[0]!.slice('on server '.length));

describe('a pool of servers', () => {
  it('spreads a 12-node fan-out over three servers within each max_kernels; kernels start in the notebook folder', async () => {
    const file = workflow(
      'pool-fanout',
      `  local: { max_kernels: 2 }
  a: { url: ${a.url}, token_env: A_TOKEN, max_kernels: 2, root_dir: / }
  b: { url: ${b.url}, token_env: B_TOKEN, max_kernels: 2, root_dir: / }`,
      `  fan:
    notebook: ${notebook}
    matrix: { i: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] }
    params: { seconds: 1.5 }
    outputs: { cwd: string, here: string }`,
    );
    let finished!: () => void;
    const done = new Promise<void>((r) => (finished = r));
    const watching = watchKernels(done);
    const r = await run(file, { A_TOKEN: a.token, B_TOKEN: b.token }).finally(finished);
    const max = await watching;
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(max.a).toBeGreaterThan(0);
    expect(max.b).toBeGreaterThan(0);
    expect(max.a).toBeLessThanOrEqual(2);
    expect(max.b).toBeLessThanOrEqual(2);
    const where = placed(r.record);
    expect(where).toHaveLength(12);
    expect(new Set(where)).toEqual(new Set(['local', 'a', 'b']));
    for (const inst of r.record.nodes.fan!.instances!) {
      expect(inst.outputs).toEqual({ cwd: join(fixturesDir, 'pool'), here: 'pool' });
    }
  }, 180_000);

  it('a pinned node runs where it is pinned; a wrong token leaves that server out, with a warning naming it', async () => {
    const file = workflow(
      'pool-pinned',
      `  local: { max_kernels: 2 }
  a: { url: ${a.url}, token_env: A_TOKEN, root_dir: / }
  b: { url: ${b.url}, token_env: B_TOKEN, root_dir: / }`,
      `  first:
    notebook: ${notebook}
    server: b
    params: { seconds: 0.1 }
  second:
    notebook: ${notebook}
    needs: [first]
    params: { seconds: 0.1 }`,
    );
    const r = await run(file, { A_TOKEN: 'not-the-token', B_TOKEN: b.token });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.record.logs.find((l) => l.node === 'first' && l.message.startsWith('on server'))?.message).toMatch(/^on server b\b/);
    expect(r.stdout + r.stderr).toMatch(new RegExp(`server a \\(${a.url.replace(/[.]/g, '\\.')}\\) cannot be used: .*refused the token`));
    expect(placed(r.record)).not.toContain('a');
  }, 120_000);

  it('a folder a server does not have is an error before any cell runs, naming the server and the folder', async () => {
    const file = workflow(
      'pool-root',
      `  a: { url: ${a.url}, token_env: A_TOKEN, root_dir: /srv/elsewhere }`,
      `  only:
    notebook: ${notebook}
    server: a`,
    );
    const r = await run(file, { A_TOKEN: a.token });
    expect(r.exitCode).toBe(1);
    const err = (r.record.nodes.only!.attempts.at(-1)!.error as { message?: string; errorClass: string }) ?? {};
    expect(err.errorClass).toBe('kernel_start');
    expect(err.message).toBe(
      `server a cannot start a kernel in ${join(fixturesDir, 'pool')}: the folder is not under its root_dir /srv/elsewhere`,
    );
    expect(await a.kernels()).toBe(0);
  }, 60_000);

  it('a server killed mid-run: its nodes fail as server_lost and are retried on the others, the run succeeds, every attempt notebook is kept', async () => {
    const c = await startPlainServer();
    try {
      const file = workflow(
        'pool-kill',
        `  local: { max_kernels: 2 }
  c: { url: ${c.url}, token_env: C_TOKEN, max_kernels: 4, root_dir: / }`,
        `  fan:
    notebook: ${notebook}
    matrix: { i: [0, 1, 2, 3, 4, 5] }
    params: { seconds: 4 }
    retry: { attempts: 2, delay: 1s }`,
      );
      const r = await run(file, { C_TOKEN: c.token }, async () => {
        const deadline = Date.now() + 60_000;
        // Killed while one of its kernels runs a node's cell (not one only started ahead).
        while ((await c.busyKernels().catch(() => 0)) === 0 && Date.now() < deadline) await new Promise((s) => setTimeout(s, 100));
        c.kill('SIGKILL');
      });
      expect(r.exitCode, r.stdout + r.stderr).toBe(0);
      expect(r.stdout + r.stderr).toMatch(/server c is down: /);
      const instances = r.record.nodes.fan!.instances!;
      const retried = instances.filter((i) => i.attempts.length === 2);
      expect(retried.length).toBeGreaterThan(0);
      for (const inst of retried) {
        // server_lost is among the classes retried by default.
        expect(inst.attempts[0]!.error?.errorClass).toMatch(/server_lost|kernel_start/);
        for (const at of inst.attempts) expect(existsSync(at.notebookPath!), at.notebookPath).toBe(true);
      }
    } finally {
      await c.stop().catch(() => undefined);
    }
  }, 180_000);

  it('with every server down the run fails at once, saying why for each', async () => {
    const file = workflow(
      'pool-down',
      `  a: { url: ${a.url}, token_env: NOT_SET_TOKEN }
  gone: { url: "http://127.0.0.1:9" }`,
      `  only:
    notebook: ${notebook}`,
    );
    const r = await run(file, {});
    expect(r.exitCode).toBe(1);
    const err = r.record.nodes.only!.attempts.at(-1)!.error as { message: string; errorClass: string };
    expect(err.errorClass).toBe('kernel_start');
    expect(err.message).toMatch(
      /^every server of the pool is down: server a \(.*\) cannot be used: \$NOT_SET_TOKEN, which holds its token, is not set; server gone \(http:\/\/127\.0\.0\.1:9\) cannot be used: cannot reach/,
    );
  }, 60_000);

  it('the HESA return on a pool of two servers that share the filesystem: the same result as on one', async () => {
    // The example, with a pool: a copy beside a link to the notebooks, so that its relative paths hold.
    const dir = join(tmp, 'hesa');
    mkdirSync(join(dir, 'workflows'), { recursive: true });
    symlinkSync(join(repoRoot, 'notebooks'), join(dir, 'notebooks'));
    symlinkSync(join(repoRoot, 'data'), join(dir, 'data'));
    const text = readFileSync(join(repoRoot, 'workflows', 'hesa-return.yml'), 'utf8').replace(
      /^nodes:$/m,
      `servers:\n  a: { url: ${a.url}, token_env: A_TOKEN, max_kernels: 1, root_dir: / }\n  b: { url: ${b.url}, token_env: B_TOKEN, max_kernels: 1, root_dir: / }\nnodes:`,
    );
    const file = join(dir, 'workflows', 'hesa-pool.yml');
    writeFileSync(file, text);
    const r = await execa(
      'node',
      [cliPath, 'run', file, '-p', `workdir=${join(tmp, 'hesa-work')}`, '--reporter', 'plain', '--runs-dir', join(tmp, 'runs')],
      {
        cwd: repoRoot,
        reject: false,
        env: { NO_COLOR: '1', A_TOKEN: a.token, B_TOKEN: b.token },
      },
    );
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const rundir = /^run directory: (.+)$/m.exec(r.stdout)![1]!;
    const record = JSON.parse(readFileSync(join(rundir, 'run.json'), 'utf8')) as RunRecord;
    expect(Object.fromEntries(Object.entries(record.nodes).map(([id, n]) => [id, n.status]))).toEqual(HESA_CLEAN_STATUSES);
    expect(new Set(placed(record))).toEqual(new Set(['a', 'b']));
  }, 180_000);
});
