// The kernel fork server, through `flow run` on real kernels: a forked kernel is made as a
// launched one is (same sys.path, environment, folder, session, signal handlers), only faster;
// `preload:` modules are imported before the first cell; a preload that fails, or a module that
// starts threads, is a warning and the run goes on; `--no-fork` and `fork: false` launch every
// kernel anew.
import { execa } from 'execa';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, fixturesDir } from '../helpers/paths.js';
import { formatProcesses, waitForNoJupyter } from '../helpers/processes.js';

interface Probe {
  forked: boolean;
  path: string[];
  env: string[];
  cwd: string;
  session_leader: boolean;
  sigint: string;
  sigterm: string;
  threads: string[];
  argv0: string;
  main: string;
  pandas: boolean;
  random: number;
  numpy_random: number | null;
}

const dir = mkdtempSync(join(tmpdir(), 'flow-fork-'));
afterAll(() => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));

/** `flow run` of a copy of the fork fixture with `extra` top-level lines; each node's probe. */
async function run(name: string, extra: string[], args: string[] = [], env: Record<string, string> = {}) {
  const wd = join(dir, name);
  rmSync(wd, { recursive: true, force: true });
  cpSync(join(fixturesDir, 'fork'), wd, { recursive: true });
  const wf = readFileSync(join(wd, 'wf.yml'), 'utf8').replace('name: fork\n', `name: ${name}\n${extra.map((l) => `${l}\n`).join('')}`);
  writeFileSync(join(wd, 'wf.yml'), wf);
  const proc = execa('node', [cliPath, 'run', 'wf.yml', '--reporter', 'plain', '--runs-dir', join(wd, 'runs'), ...args], {
    cwd: wd,
    reject: false,
    all: true,
    // Forking on unless a test says otherwise, even when the suite runs with FLOW_FORK=0.
    env: { PYTHONPATH: wd, FLOW_FORK: '1', ...env },
  });
  const r = await proc;
  const left = await waitForNoJupyter(proc.pid!, 10_000);
  const runDir = join(wd, 'runs', name, readdirSync(join(wd, 'runs', name))[0]!);
  const probe = (node: string): Probe => {
    const nb = JSON.parse(readFileSync(join(runDir, `${node}.ipynb`), 'utf8'));
    const out = nb.cells.find((c: { id?: string }) => c.id === 'probe').outputs[0];
    return JSON.parse(Array.isArray(out.text) ? out.text.join('') : out.text);
  };
  return { exitCode: r.exitCode, output: String(r.all), wd, left, probes: ['a', 'b', 'c'].map(probe) };
}

/** What must be the same for a forked and a launched kernel. */
const made = (p: Probe) => ({
  path: p.path,
  env: p.env,
  cwd: p.cwd,
  session_leader: p.session_leader,
  sigint: p.sigint,
  sigterm: p.sigterm,
  threads: p.threads,
  argv0: p.argv0,
  main: p.main,
});

describe('the kernel fork server', () => {
  let forked: Awaited<ReturnType<typeof run>>;
  let launched: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    forked = await run('forked', []);
    launched = await run('launched', [], ['--no-fork']);
  }, 180_000);

  it('forks every kernel of a run by default, and --no-fork launches every one', () => {
    expect(forked.exitCode, forked.output).toBe(0);
    expect(launched.exitCode, launched.output).toBe(0);
    expect(forked.probes.map((p) => p.forked)).toEqual([true, true, true]);
    expect(launched.probes.map((p) => p.forked)).toEqual([false, false, false]);
  });

  it('makes a kernel as a launched one is: sys.path, environment, folder, session, signals, threads, argv', () => {
    const expected = made(launched.probes[0]!);
    expect(expected.cwd).toBe(launched.wd);
    expect(expected.session_leader).toBe(true);
    // The launched run's folder is another one: compare with it put in its place.
    const swap = (p: Probe) => JSON.parse(JSON.stringify(made(p)).replaceAll(forked.wd, launched.wd));
    for (const p of forked.probes) expect(swap(p)).toEqual(expected);
  });

  it('gives each forked kernel fresh randomness', () => {
    expect(new Set(forked.probes.map((p) => p.random)).size).toBe(3);
  });

  it('leaves no process: server, fork server, kernels', () => {
    expect(forked.left, formatProcesses(forked.left)).toEqual([]);
    expect(launched.left, formatProcesses(launched.left)).toEqual([]);
  });

  it('preload: [pandas, numpy] imports them before the first cell; numpy randomness is fresh in each kernel', async () => {
    const r = await run('preload', ['preload: [pandas, numpy]']);
    expect(r.exitCode, r.output).toBe(0);
    expect(r.probes.map((p) => [p.forked, p.pandas])).toEqual([
      [true, true],
      [true, true],
      [true, true],
    ]);
    expect(new Set(r.probes.map((p) => p.numpy_random)).size).toBe(3);
    expect(forked.probes.map((p) => p.pandas)).toEqual([false, false, false]);
  }, 120_000);

  it('a preload that fails, and one that starts threads, are warnings; the others are preloaded and kernels still forked', async () => {
    const r = await run('preload-bad', ['preload: [no_such_module, threads_at_import, pandas]']);
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toMatch(
      /⚠ preload: no_such_module could not be imported \(ModuleNotFoundError: No module named 'no_such_module'\); kernels import it themselves/,
    );
    expect(r.output).toMatch(
      /⚠ preload: threads_at_import is not preloaded: it left threads running after its import \(started-at-import\), after which forking is unsafe/,
    );
    expect(r.probes.map((p) => [p.forked, p.pandas])).toEqual([
      [true, true],
      [true, true],
      [true, true],
    ]);
    // The module's thread is nowhere: it was imported only in a fork server that was replaced.
    for (const p of r.probes) expect(p.threads).not.toContain('started-at-import');
  }, 120_000);

  it('fork: false in the workflow, and FLOW_FORK=0, launch every kernel', async () => {
    const off = await run('fork-false', ['fork: false']);
    expect(off.exitCode, off.output).toBe(0);
    expect(off.probes.map((p) => p.forked)).toEqual([false, false, false]);
    const env = await run('fork-env', [], [], { FLOW_FORK: '0' });
    expect(env.exitCode, env.output).toBe(0);
    expect(env.probes.map((p) => p.forked)).toEqual([false, false, false]);
  }, 120_000);
});
