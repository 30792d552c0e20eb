// Secret params (issue 13) through the built CLI on real kernels: test/fixtures/secrets/wf.yml
// gives a secret HMAC key to notebooks that print it, write it to stderr, display it as HTML,
// return it as the last expression, raise with it, read it back as a declared output and pass it
// downstream. The HMAC proves the kernel had the real key; afterwards a byte search of every file
// of the run directory, of every reporter's output (plain, json, JUnit), of `flow show` and of
// `--dry-run`, and of the process table taken while the kernels ran, finds the value nowhere —
// while `***` stands where the notebooks showed it. Then the other sources (from_env, from_file,
// -s with its warning), the refusal of a short secret, and `flow resume`, which needs the secret
// again.
import { execa } from 'execa';
import { createHmac, randomUUID } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findJupyter } from '../../src/kernel/find-jupyter.js';
import type { RunRecord } from '../../src/ledger/run-record.js';
import { cliPath, fixturesDir, repoRoot } from '../helpers/paths.js';
import { flowProcesses } from '../helpers/processes.js';

const LONG = 120_000;
const jupyter = findJupyter({ cwd: repoRoot }).jupyter;
const sandbox = mkdtempSync(join(tmpdir(), 'flow-secrets-'));
cpSync(join(fixturesDir, 'secrets'), sandbox, { recursive: true, filter: (f) => !f.endsWith('.py') });
afterAll(() => rmSync(sandbox, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));

const wf = join(sandbox, 'wf.yml');
const PLAIN_MESSAGE = 'plain-param-shown-as-usual'; // wf.yml's default for `message`

/**
 * A secret of this test: random, with a double quote in it so that its JSON-escaped form
 * (`\"`) and its XML-escaped form (`&quot;`) differ from the value. `tail` is the random part
 * alone: found anywhere, some escaped or cut form of the value leaked.
 */
function makeSecret(prefix: string): { value: string; tail: string } {
  const tail = randomUUID();
  return { value: `${prefix}"${tail}`, tail };
}

const hmac = (key: string): string => createHmac('sha256', key).update('student-1').digest('hex');

/**
 * The environment flow runs with: this process's, minus anything that could hold a secret of
 * the test, plus the given variables (no `extendEnv`, so "without FLOW_SECRET_KEY" means it).
 */
function envWith(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('FLOW_SECRET_') && k !== 'MY_FLOW_TOKEN') env[k] = v;
  }
  return { ...env, FLOW_JUPYTER: jupyter, NO_COLOR: '1', FORCE_COLOR: '0', ...extra };
}

/** `node dist/cli/main.js ARGS` in the sandbox; stdout and stderr kept apart. */
function flow(args: string[], env: Record<string, string>) {
  return execa(process.execPath, [cliPath, ...args], { cwd: sandbox, reject: false, extendEnv: false, env });
}

/** The run directories of a workflow under a runs dir, oldest first. */
function runDirs(runsDir: string, workflow: string): string[] {
  const dir = join(runsDir, workflow);
  return existsSync(dir)
    ? readdirSync(dir)
        .sort()
        .map((id) => join(dir, id))
    : [];
}

/** The run directory named on the last line of the plain reporter. */
function plainRunDir(stdout: string): string {
  const dir = /^run directory: (.+)$/m.exec(stdout)?.[1];
  if (!dir) throw new Error(`no "run directory:" line in:\n${stdout}`);
  return dir;
}

const readRun = (runDir: string): RunRecord => JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as RunRecord;

/** Every regular file under `dir`, recursively (symlinks are not followed). */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = lstatSync(path);
    if (st.isDirectory()) out.push(...filesUnder(path));
    else if (st.isFile()) out.push(path);
  }
  return out;
}

/** The forms of a secret that must appear nowhere. */
function forms(secret: { value: string; tail: string }): { label: string; bytes: Buffer }[] {
  return [
    { label: 'the value', bytes: Buffer.from(secret.value) },
    { label: 'its base64', bytes: Buffer.from(Buffer.from(secret.value).toString('base64')) },
    { label: 'its JSON-escaped form', bytes: Buffer.from(JSON.stringify(secret.value).slice(1, -1)) },
    { label: 'its random part (the value escaped or cut)', bytes: Buffer.from(secret.tail) },
  ];
}

/** Where `data` shows a form of `secret`: `where: form at offset: …context…`, for a readable failure. */
function leaksIn(where: string, data: Buffer | string, secret: { value: string; tail: string }): string[] {
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  const found: string[] = [];
  for (const { label, bytes } of forms(secret)) {
    for (let i = buf.indexOf(bytes); i >= 0; i = buf.indexOf(bytes, i + 1)) {
      const context = buf.subarray(Math.max(0, i - 60), i + bytes.length + 20).toString('utf8');
      found.push(`${where}: ${label} at byte ${i}: …${JSON.stringify(context)}…`);
    }
  }
  return found;
}

/** Leaks of `secret` in every file under `dir` (paths relative to it). */
function leaksUnder(dir: string, secret: { value: string; tail: string }): string[] {
  return filesUnder(dir).flatMap((f) => leaksIn(relative(dir, f), readFileSync(f), secret));
}

/** Leaks in a finished command's stdout and stderr. */
function leaksInOutput(name: string, r: { stdout: string; stderr: string }, secret: { value: string; tail: string }): string[] {
  return [...leaksIn(`${name} stdout`, r.stdout, secret), ...leaksIn(`${name} stderr`, r.stderr, secret)];
}

interface Cell {
  cell_type: string;
  source: string | string[];
  metadata: { tags?: string[] };
  outputs?: {
    output_type: string;
    name?: string;
    text?: string | string[];
    data?: Record<string, string | string[]>;
    ename?: string;
    evalue?: string;
    traceback?: string[];
  }[];
}
const text = (s: string | string[] | undefined): string => (Array.isArray(s) ? s.join('') : (s ?? ''));
const cellsOf = (path: string): Cell[] => (JSON.parse(readFileSync(path, 'utf8')) as { cells: Cell[] }).cells;
const injectedCell = (path: string): string =>
  text(cellsOf(path).find((c) => c.metadata.tags?.includes('injected-parameters'))?.source) || '(no injected-parameters cell)';

/**
 * Reads every process's command line until `proc` ends, every 10 ms; returns the command lines
 * that showed `value`, and how many snapshots were taken while one of flow's kernels ran (none:
 * the check proved nothing).
 */
async function watchProcessTable(
  proc: Promise<unknown> & { pid?: number },
  value: string,
): Promise<{ hits: string[]; withKernel: number; snapshots: number }> {
  let ended = false;
  void proc.finally(() => (ended = true)).catch(() => undefined);
  const hits = new Set<string>();
  let withKernel = 0;
  let snapshots = 0;
  while (!ended) {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let cmdline: string;
      try {
        cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        continue; // gone since readdir
      }
      if (cmdline.includes(value)) hits.add(`${pid}: ${cmdline.split('\0').join(' ')}`);
    }
    snapshots++;
    if (proc.pid !== undefined && flowProcesses(proc.pid).some((p) => p.kind === 'kernel')) withKernel++;
    await new Promise((r) => setTimeout(r, 10));
  }
  return { hits: [...hits], withKernel, snapshots };
}

describe('a secret key that the notebooks try to leak, from FLOW_SECRET_KEY', () => {
  const secret = makeSecret('s3cr3t');
  const runsDir = join(sandbox, 'runs-main');
  const junitFile = join(sandbox, 'main-junit.xml');
  const env = envWith({ FLOW_SECRET_KEY: secret.value });
  let plain: { exitCode?: number; stdout: string; stderr: string };
  let json: { exitCode?: number; stdout: string; stderr: string };
  let processTable: { hits: string[]; withKernel: number; snapshots: number };
  let runDir: string;
  let jsonRunDir: string;
  let run: RunRecord;

  beforeAll(async () => {
    const proc = flow(['run', wf, '--runs-dir', runsDir, '--reporter', 'plain', '--verbose', '--junit', junitFile], env);
    [processTable, plain] = await Promise.all([watchProcessTable(proc, secret.value), proc]);
    expect(plain.exitCode, `${plain.stdout}\n${plain.stderr}`).toBe(0);
    json = await flow(['run', wf, '--runs-dir', runsDir, '--reporter', 'json'], env);
    expect(json.exitCode, `${json.stdout}\n${json.stderr}`).toBe(0);
    expect(runDirs(runsDir, 'secrets')).toHaveLength(2);
    runDir = plainRunDir(plain.stdout);
    jsonRunDir = JSON.parse(json.stdout.split('\n')[0]).runDir as string;
    run = readRun(runDir);
  }, LONG);

  it('reached the kernel as the real key: the HMAC is the one computed here, and downstream checked it with its own copy', () => {
    expect(run.status).toBe('succeeded');
    expect(run.nodes.leak.outputs?.digest, 'leak computed its HMAC with another key than the real one').toBe(hmac(secret.value));
    expect(run.nodes.downstream.outputs).toEqual({ ok: true });
    expect(run.nodes.gate.outputs).toEqual({ verified: true });
    expect(readRun(jsonRunDir).nodes.leak.outputs?.digest, 'the --reporter json run').toBe(hmac(secret.value));
  });

  it('masks a declared output equal to the secret as ***', () => {
    expect(run.nodes.leak.outputs?.echo).toBe('***');
  });

  it('masks the exception message and traceback of a failing node; continue_on_error lets the run succeed (exit 0)', () => {
    expect(run.nodes.raiser.status).toBe('failed');
    expect(run.nodes.raiser.continueOnError).toBe(true);
    expect(run.nodes.raiser.error?.evalue).toBe('bad key ***');
    expect(run.nodes.raiser.error?.traceback?.join('\n')).toContain('bad key ***');
    const error = cellsOf(join(runDir, 'raiser.ipynb'))
      .flatMap((c) => c.outputs ?? [])
      .find((o) => o.output_type === 'error');
    expect(error?.evalue).toBe('bad key ***');
  });

  it('replaces the value with *** in what the notebook printed, wrote to stderr, displayed and returned (masked, not dropped)', () => {
    const outputs = cellsOf(join(runDir, 'leak.ipynb')).flatMap((c) => c.outputs ?? []);
    const streams = outputs
      .filter((o) => o.output_type === 'stream')
      .map((o) => `${o.name}: ${text(o.text)}`)
      .join('');
    expect(streams).toContain('stdout: ***\n');
    expect(streams).toContain('the key is ***!\n');
    expect(streams).toContain('stderr: on stderr: ***\n');
    expect(streams, 'plain params are not masked').toContain(`message: ${PLAIN_MESSAGE}\n`);
    const html = outputs.map((o) => text(o.data?.['text/html'])).join('');
    expect(html).toContain('<b>***</b>');
    const result = outputs.find((o) => o.output_type === 'execute_result');
    expect(text(result?.data?.['text/plain']), 'the repr of `key` as the last expression').toBe("'***'");
    expect(text(cellsOf(join(runDir, 'downstream.ipynb')).flatMap((c) => (c.outputs ?? []).map((o) => text(o.text))))).toContain(
      'downstream got ***',
    );
  });

  it('shows the secret in the injected cell only as a comment naming it; plain params as usual', () => {
    const leak = injectedCell(join(runDir, 'leak.ipynb'));
    expect(leak).toMatch(/^#.*\bkey\b/m);
    expect(leak).not.toMatch(/^key\s*=/m);
    expect(leak).toContain(`message = "${PLAIN_MESSAGE}"`);
    const downstream = injectedCell(join(runDir, 'downstream.ipynb'));
    expect(downstream, 'a param given ${{ params.key }} stays secret').toMatch(/^#.*\bk\b/m);
    expect(downstream).not.toMatch(/^k\s*=/m);
    expect(downstream).toMatch(/^digest\s*=/m);
  });

  it('leaves no form of the value in any file of either run directory (notebooks, run.json, events.ndjson, jupyter-server.log)', () => {
    for (const dir of runDirs(runsDir, 'secrets')) {
      const names = filesUnder(dir).map((f) => relative(dir, f));
      expect(names).toEqual(
        expect.arrayContaining([
          'run.json',
          'events.ndjson',
          'jupyter-server.log',
          'leak.ipynb',
          'downstream.ipynb',
          'raiser.ipynb',
          'gate.ipynb',
        ]),
      );
    }
    expect(leaksUnder(runsDir, secret)).toEqual([]);
    // The search reads what it should: a plain param's value is found where it belongs.
    const withMessage = filesUnder(runDir).filter((f) => readFileSync(f).includes(PLAIN_MESSAGE));
    expect(withMessage.map((f) => relative(runDir, f))).toEqual(expect.arrayContaining(['run.json', 'leak.ipynb']));
  });

  it('prints no form of it with --reporter plain --verbose, nor in the JUnit file, which show *** instead', () => {
    expect(leaksInOutput('plain', plain, secret)).toEqual([]);
    expect(plain.stdout, 'the printed lines, masked').toContain('the key is ***!');
    expect(plain.stdout).toContain('bad key ***');
    const junit = readFileSync(junitFile, 'utf8');
    expect(leaksIn('JUnit', junit, secret)).toEqual([]);
    expect(junit).toContain('bad key ***');
  });

  it('prints no form of it with --reporter json, whose node_output events show ***', () => {
    expect(leaksInOutput('json', json, secret)).toEqual([]);
    expect(json.stdout).toContain('the key is ***!');
  });

  it('shows it in no command line while the kernels run', () => {
    expect(
      processTable.withKernel,
      `no snapshot of ${processTable.snapshots} caught a kernel running: the check proved nothing`,
    ).toBeGreaterThan(0);
    expect(processTable.hits).toEqual([]);
  });

  it('flow show (and --json) print no form of it, but the outputs', async () => {
    for (const extra of [[], ['--json']]) {
      const r = await flow(['show', run.runId, '--runs-dir', runsDir, ...extra], env);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toContain(hmac(secret.value).slice(0, 16));
      expect(leaksInOutput(`flow show ${extra.join(' ')}`, r, secret)).toEqual([]);
    }
  });

  it('--dry-run prints the plan without any form of it', async () => {
    const r = await flow(['run', wf, '--runs-dir', runsDir, '--dry-run'], env);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('Plan for secrets');
    expect(r.stdout).toMatch(/^ {2}param k\b/m);
    expect(leaksInOutput('--dry-run', r, secret)).toEqual([]);
    expect(runDirs(runsDir, 'secrets'), '--dry-run runs nothing').toHaveLength(2);
  });
});

describe("a secret's other sources", () => {
  it(
    'from_env names the variable (FLOW_SECRET_A is not read); from_file reads a file next to the workflow, its trailing newline dropped',
    async () => {
      const a = makeSecret('env-token');
      const b = makeSecret('file-token');
      const decoy = makeSecret('decoy');
      writeFileSync(join(sandbox, 'b.secret'), `${b.value}\n`);
      const runsDir = join(sandbox, 'runs-sources');
      const r = await flow(
        ['run', join(sandbox, 'wf-sources.yml'), '--runs-dir', runsDir, '--reporter', 'plain', '--verbose'],
        envWith({ MY_FLOW_TOKEN: a.value, FLOW_SECRET_A: decoy.value }),
      );
      expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
      const run = readRun(plainRunDir(r.stdout));
      expect(run.nodes.via_env.outputs?.digest, 'from_env: MY_FLOW_TOKEN').toBe(hmac(a.value));
      expect(run.nodes.via_file.outputs?.digest, 'from_file: b.secret without its newline').toBe(hmac(b.value));
      expect(r.stdout).toContain('key: ***');
      for (const s of [a, b]) {
        expect(leaksUnder(runsDir, s)).toEqual([]);
        expect(leaksInOutput('plain', r, s)).toEqual([]);
      }
    },
    LONG,
  );
});

describe('-s NAME=VALUE on the command line', () => {
  it(
    'works, with a warning on stderr that command lines are visible to other users, and shows the value nowhere else',
    async () => {
      const secret = makeSecret('cli');
      const runsDir = join(sandbox, 'runs-cli');
      const r = await flow(
        ['run', wf, '-s', `key=${secret.value}`, '--only', 'leak', '--runs-dir', runsDir, '--reporter', 'plain'],
        envWith(),
      );
      expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
      expect(r.stderr).toMatch(/command line/i);
      expect(readRun(plainRunDir(r.stdout)).nodes.leak.outputs?.digest).toBe(hmac(secret.value));
      expect(leaksInOutput('-s run', r, secret)).toEqual([]);
      expect(leaksUnder(runsDir, secret)).toEqual([]);
    },
    LONG,
  );
});

describe('a secret shorter than 4 characters', () => {
  it('is refused with exit 2, from the environment or from -s, without echoing it', async () => {
    const runsDir = join(sandbox, 'runs-short');
    for (const [how, args, env] of [
      ['FLOW_SECRET_KEY', [], envWith({ FLOW_SECRET_KEY: 'q7z' })],
      ['-s', ['-s', 'key=q7z'], envWith()],
    ] as const) {
      const r = await flow(['run', wf, ...args, '--runs-dir', runsDir, '--reporter', 'plain'], env);
      expect(r.exitCode, `${how}: ${r.stdout}\n${r.stderr}`).toBe(2);
      expect(r.stderr, how).toMatch(/\bkey\b/);
      expect(`${r.stdout}${r.stderr}`, `${how}: the refused value is not echoed`).not.toContain('q7z');
    }
    const notebooks = existsSync(runsDir) ? filesUnder(runsDir).filter((f) => f.endsWith('.ipynb')) : [];
    expect(notebooks, 'refused before any notebook ran').toEqual([]);
  });
});

describe('flow resume', () => {
  const secret = makeSecret('resume');
  const runsDir = join(sandbox, 'runs-resume');
  const release = join(sandbox, 'release');
  let failedRun: RunRecord;
  const outputs: { name: string; r: { stdout: string; stderr: string } }[] = [];

  beforeAll(async () => {
    // gate fails until the release file exists: a run with something to resume.
    const r = await flow(
      ['run', wf, '-p', `release=${release}`, '--runs-dir', runsDir, '--reporter', 'plain'],
      envWith({ FLOW_SECRET_KEY: secret.value }),
    );
    outputs.push({ name: 'failed run', r });
    expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(1);
    failedRun = readRun(plainRunDir(r.stdout));
    expect(failedRun.nodes.gate.status).toBe('failed');
    expect(failedRun.nodes.gate.error?.evalue).toContain('(key ***)');
  }, LONG);

  it('without the secret: exit 2, naming the param and FLOW_SECRET_KEY, running nothing', async () => {
    const r = await flow(['resume', failedRun.runId, '--runs-dir', runsDir, '--reporter', 'plain'], envWith());
    outputs.push({ name: 'resume without the secret', r });
    expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(2);
    expect(r.stderr).toContain('FLOW_SECRET_KEY');
    expect(r.stderr).toMatch(/\bkey\b/);
    const others = runDirs(runsDir, 'secrets').filter((d) => basename(d) !== failedRun.runId);
    expect(
      others.flatMap((d) => filesUnder(d)).filter((f) => f.endsWith('.ipynb')),
      'refused before any notebook ran',
    ).toEqual([]);
  });

  it(
    'with FLOW_SECRET_KEY set again: re-runs the failed nodes with the real key (gate verifies the HMAC), leaving no trace of it',
    async () => {
      writeFileSync(release, '');
      const r = await flow(
        ['resume', failedRun.runId, '--runs-dir', runsDir, '--reporter', 'plain'],
        envWith({ FLOW_SECRET_KEY: secret.value }),
      );
      outputs.push({ name: 'resume', r });
      expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
      const resumed = readRun(plainRunDir(r.stdout));
      expect(resumed.resumedFrom).toBe(failedRun.runId);
      expect(resumed.status).toBe('succeeded');
      expect(resumed.nodes.leak.reused).toBe(true);
      expect(resumed.nodes.gate.outputs, 'gate re-ran with the key the first run had').toEqual({ verified: true });
      expect(leaksUnder(runsDir, secret)).toEqual([]);
      expect(outputs.flatMap((o) => leaksInOutput(o.name, o.r, secret))).toEqual([]);
    },
    LONG,
  );
});
