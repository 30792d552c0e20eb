// `npm run bench`: flow against papermill and `jupyter nbconvert --execute`, interleaved, in one run.
// Writes bench/RESULTS.md (the table, the machine) and bench/.work/results.json (every sample).
//   node bench/run.mjs [--rounds 3] [--only chain,sleep8,cells100,percell,print20mb,report,cli,sched]
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, release, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeScenarios } from './scenarios.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');
const work = join(here, '.work');
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
};
const ROUNDS = Number(opt('rounds', 3));
const ALL = 'chain,sleep8,fanout6,fanout100,ready,hesa,cells100,percell,print20mb,report,remote,cli,sched';
const ONLY = opt('only', ALL).split(',');

// The reference tools come from the project's dev environment (`npm run setup` pip-installs the
// pinned papermill and nbconvert of python/requirements-dev.txt into .venv), or BENCH_VENV.
const venv = resolve(process.env.BENCH_VENV ?? join(repo, '.venv'));
const py = join(venv, 'bin', 'python');
const papermill = join(venv, 'bin', 'papermill');
const jupyter = join(venv, 'bin', 'jupyter');
// BENCH_FLOW_DIST: measure another build of flow (e.g. a copy with a proposed change) against the same references.
const flowMain = join(resolve(process.env.BENCH_FLOW_DIST ?? join(repo, 'dist')), 'cli', 'main.js');
for (const f of [py, papermill, jupyter, flowMain]) {
  if (!existsSync(f)) {
    process.stderr.write(`bench: ${f} is missing; run \`npm run setup\` (or set BENCH_VENV to a venv with papermill and nbconvert)\n`);
    process.exit(2);
  }
}
const env = { ...process.env, PATH: `${join(venv, 'bin')}:${process.env.PATH}`, PYTHONWARNINGS: 'ignore' };

rmSync(join(work, 'scenarios'), { recursive: true, force: true });
rmSync(join(work, 'out'), { recursive: true, force: true });
const dirs = writeScenarios(join(work, 'scenarios'));
const outDir = join(work, 'out');
mkdirSync(outDir, { recursive: true });
const runsDir = join(work, 'runs');

/** Runs a command; resolves with wall seconds, output, and the exit code. */
function run(cmd, args, { cwd = repo, extraEnv = {}, timeoutMs = 300_000 } = {}) {
  return new Promise((resolvePromise) => {
    const t = performance.now();
    const child = spawn(cmd, args, { cwd, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b.toString().slice(0, 20_000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ seconds: (performance.now() - t) / 1000, code, signal, out, err });
    });
  });
}

/** Several commands one after another (papermill/nbconvert over a chain), or all at once. */
async function runMany(list, parallel) {
  const t = performance.now();
  const results = parallel ? await Promise.all(list.map((c) => run(...c))) : [];
  if (!parallel) for (const c of list) results.push(await run(...c));
  const failed = results.find((r) => r.code !== 0);
  return { seconds: (performance.now() - t) / 1000, code: failed ? failed.code : 0, err: failed?.err ?? '' };
}

const samples = {}; // key → seconds[]
let remoteServer;
const extra = {}; // key → other measures
function record(key, r) {
  if (r.code !== 0) {
    process.stderr.write(`bench: ${key} failed (exit ${r.code ?? r.signal}):\n${(r.err ?? '').slice(-2000)}\n`);
    (samples[key] ??= []).push(NaN);
    return;
  }
  (samples[key] ??= []).push(r.seconds);
  process.stdout.write(`  ${key.padEnd(28)} ${r.seconds.toFixed(2)} s\n`);
}

const flowRun = (wf, cwd, runs = runsDir, more = []) =>
  run('node', [flowMain, 'run', wf, '--reporter', 'plain', '--runs-dir', runs, ...more], { cwd });
/** The last line of a command's stdout that is a JSON object (kernels may print on it too). */
const lastJson = (out) =>
  JSON.parse(
    out
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .at(-1),
  );
const pm = (dir, nb, out, params = []) => [papermill, [nb, join(outDir, out), '--log-level', 'WARNING', ...params], { cwd: dir }];
const nbc = (dir, nb, out) => [jupyter, ['nbconvert', '--to', 'notebook', '--execute', nb, '--output', join(outDir, out)], { cwd: dir }];

/** Runs the tools of one scenario in an order that rotates with the round (interleaving). */
async function interleave(round, tools) {
  const order = tools.map((_, i) => tools[(i + round) % tools.length]);
  for (const [key, f, when = true] of order) if (when) record(key, await f());
}

const scenarios = {
  // The fork server against launched kernels, and against the floor of bare kernels.
  fanout6: (r) =>
    interleave(r, [
      ['fanout6.flow', () => flowRun('fanout6.yml', dirs.fanout6)],
      ['fanout6.floor', () => run(py, [join(here, 'kernel-floor.py'), 'sleep6'])],
    ]),
  fanout100: (r) =>
    interleave(r, [
      ['fanout100.fork', () => flowRun('fanout100.yml', dirs.fanout100)],
      ['fanout100.launch', () => flowRun('fanout100.yml', dirs.fanout100, runsDir, ['--no-fork'])],
    ]),
  ready: async () => {
    const k = await run(py, [join(here, 'kernel-ready.py'), '10']);
    if (k.code !== 0) return record('ready', k);
    const j = lastJson(k.out);
    (extra['ready.fork_ms'] ??= []).push(j.fork_ms);
    (extra['ready.launch_ms'] ??= []).push(j.launch_ms);
    process.stdout.write(`  ready: fork ${j.fork_ms.toFixed(0)} ms, launch ${j.launch_ms.toFixed(0)} ms\n`);
  },
  // The HESA example end to end (it preloads pandas), against the same without the fork server.
  hesa: (r) =>
    interleave(r, [
      ['hesa.fork', () => flowRun(join(repo, 'workflows', 'hesa-return.yml'), repo)],
      ['hesa.launch', () => flowRun(join(repo, 'workflows', 'hesa-return.yml'), repo, runsDir, ['--no-fork'])],
    ]),
  chain: (r) =>
    interleave(r, [
      ['chain.flow', () => flowRun('chain.yml', dirs.chain)],
      // papermill is slow here (≈30 s): two rounds of it are enough for a median.
      [
        'chain.papermill',
        () =>
          runMany(
            Array.from({ length: 10 }, (_, i) => pm(dirs.chain, 'step.ipynb', `chain-${i}.ipynb`, ['-p', 'x', String(i)])),
            false,
          ),
        r < 2,
      ],
      [
        'chain.nbconvert',
        () =>
          runMany(
            Array.from({ length: 10 }, (_, i) => nbc(dirs.chain, 'step.ipynb', `chain-nbc-${i}.ipynb`)),
            false,
          ),
        r < 1,
      ],
    ]),
  sleep8: (r) =>
    interleave(r, [
      ['sleep8.flow', () => flowRun('sleep8.yml', dirs.sleep8)],
      ['sleep8.floor', () => run(py, [join(here, 'kernel-floor.py'), 'sleep8'])],
      // papermill has no concurrency of its own: 8 processes at once, as `xargs -P 8` would.
      [
        'sleep8.papermill',
        () =>
          runMany(
            Array.from({ length: 8 }, (_, i) => pm(dirs.sleep8, 'sleep.ipynb', `sleep-${i}.ipynb`)),
            true,
          ),
        r < 2,
      ],
      [
        'sleep8.nbconvert',
        () =>
          runMany(
            Array.from({ length: 8 }, (_, i) => nbc(dirs.sleep8, 'sleep.ipynb', `sleep-nbc-${i}.ipynb`)),
            true,
          ),
        r < 1,
      ],
    ]),
  cells100: (r) =>
    interleave(r, [
      ['cells100.flow', () => flowRun('cells100.yml', dirs.cells100)],
      ['cells100.papermill', () => run(...pm(dirs.cells100, 'cells100.ipynb', 'cells100.ipynb'))],
      ['cells100.nbconvert', () => run(...nbc(dirs.cells100, 'cells100.ipynb', 'cells100-nbc.ipynb'))],
    ]),
  percell: async () => {
    // The kernel's own round trip (jupyter_client, no server) against flow's time per cell, read
    // from the papermill cell timings flow writes into the executed 100-cell notebook.
    const k = await run(py, [join(here, 'kernel-floor.py'), 'rtt', '200']);
    if (k.code === 0) (extra['percell.kernel_ms'] ??= []).push(JSON.parse(k.out).median_ms);
    const f = await flowRun('cells100.yml', dirs.cells100, join(work, 'percell-runs'));
    const nbPath = latestNotebook(join(work, 'percell-runs', 'bench-cells100'), 'c.ipynb');
    if (f.code === 0 && nbPath) (extra['percell.flow_ms'] ??= []).push(perCellMs(JSON.parse(readFileSync(nbPath, 'utf8'))));
    process.stdout.write(
      `  percell: kernel ${extra['percell.kernel_ms']?.at(-1)?.toFixed(2)} ms, flow ${extra['percell.flow_ms']?.at(-1)?.toFixed(2)} ms\n`,
    );
  },
  print20mb: (r) =>
    interleave(r, [
      [
        'print20mb.flow',
        async () => {
          const hwm = join(outDir, 'flow-hwm.txt');
          rmSync(hwm, { force: true });
          const res = await run(
            'node',
            ['--import', join(here, 'peak-memory.mjs'), flowMain, 'run', 'print20mb.yml', '--reporter', 'plain', '--runs-dir', runsDir],
            {
              cwd: dirs.print20mb,
              extraEnv: { BENCH_HWM_FILE: hwm },
            },
          );
          if (existsSync(hwm)) (extra['print20mb.flow_peak_mb'] ??= []).push(Number(readFileSync(hwm, 'utf8')) / 1024);
          return res;
        },
      ],
      ['print20mb.papermill', () => timed(pm(dirs.print20mb, 'print20mb.ipynb', 'print20mb.ipynb'), 'print20mb.papermill_peak_mb')],
      [
        'print20mb.nbconvert',
        () => timed(nbc(dirs.print20mb, 'print20mb.ipynb', 'print20mb-nbc.ipynb'), 'print20mb.nbconvert_peak_mb'),
        r < 2,
      ],
    ]),
  report: async (r) => {
    // The report of a real HESA run (validation errors, a retry) and of a synthetic 1,000-node
    // run (bench/report-run.mjs), written again by `flow report` with no notebook HTML: flow's
    // own time. nbconvert's rendering of the HESA notebooks is measured apart, as is `flow show`
    // of the same run (a process that reads run.json and prints it) for reference.
    const hesaRuns = join(work, 'report-runs');
    const wide = join(work, 'report1000');
    if (r === 0) {
      rmSync(hesaRuns, { recursive: true, force: true });
      rmSync(wide, { recursive: true, force: true });
      const h = await run('node', [
        flowMain,
        'run',
        'workflows/hesa-return.yml',
        '-p',
        'inject_errors=true',
        '-p',
        'flaky_failures=1',
        '-p',
        `workdir=${join(work, 'report-work')}`,
        '--reporter',
        'plain',
        '--runs-dir',
        hesaRuns,
      ]);
      extra['report.hesa_dir'] = [/run directory: (.+)/.exec(h.out)?.[1]];
      await run('node', [join(here, 'report-run.mjs'), wide]);
    }
    const hesaDir = extra['report.hesa_dir'][0];
    await interleave(r, [
      ['report.hesa', () => run('node', [flowMain, 'report', hesaDir, '--no-notebook-html'])],
      ['report.show', () => run('node', [flowMain, 'show', hesaDir])],
      ['report.wide1000', () => run('node', [flowMain, 'report', wide, '--no-notebook-html'])],
      [
        'report.nbconvert',
        () => {
          const notebooks = readdirSync(hesaDir)
            .filter((f) => f.endsWith('.ipynb') && !f.startsWith('summary'))
            .map((f) => join(hesaDir, f));
          return run(py, ['-m', 'flow_jupyter.render_html', join(work, 'report-html'), ...notebooks], {
            extraEnv: { PYTHONPATH: join(repo, 'python') },
          });
        },
        r < 2,
      ],
    ]);
    extra['report.wide1000_mb'] = [statSync(join(wide, 'report.html')).size / 1e6];
  },
  remote: async (r) => {
    // A chain of 5 trivial nodes on a plain Jupyter Server on loopback (a pool member sharing
    // this filesystem) against the same chain on the embedded server: the median duration of a
    // node, start to finish, from run.json. The first node is left out on both sides: the
    // embedded server starts its kernel while it starts itself, which no remote server can.
    // The server is started once, outside the rounds.
    if (r === 0) {
      const port = 20000 + Math.floor(Math.random() * 20000);
      const token = `bench${Date.now()}`;
      extra['remote.server'] = [{ port, token }];
      const args = [
        'server',
        '--no-browser',
        '--ip=127.0.0.1',
        `--port=${port}`,
        `--IdentityProvider.token=${token}`,
        '--ServerApp.root_dir=/',
      ];
      if (process.getuid?.() === 0) args.push('--allow-root');
      remoteServer = spawn(jupyter, args, { stdio: 'ignore', env });
      for (let i = 0; i < 300; i++) {
        try {
          if ((await fetch(`http://127.0.0.1:${port}/api/status`, { headers: { Authorization: `token ${token}` } })).ok) break;
        } catch {}
        await new Promise((s) => setTimeout(s, 200));
      }
      const step = join(dirs.chain, 'step.ipynb');
      const chain = [0, 1, 2, 3, 4].map((i) => `  n${i}: { notebook: ${step}${i ? `, needs: [n${i - 1}]` : ''} }\n`).join('');
      writeFileSync(
        join(work, 'remote.yml'),
        `name: bench-remote\nservers:\n  far: { url: "http://127.0.0.1:${port}", token_env: BENCH_REMOTE_TOKEN, root_dir: / }\nnodes:\n${chain}`,
      );
      writeFileSync(join(work, 'local.yml'), `name: bench-local\nnodes:\n${chain}`);
    }
    const { token } = extra['remote.server'][0];
    const nodeMs = async (wf, key) => {
      const res = await run('node', [flowMain, 'run', join(work, wf), '--reporter', 'plain', '--runs-dir', join(work, 'remote-runs')], {
        extraEnv: { BENCH_REMOTE_TOKEN: token },
      });
      const dir = /run directory: (.+)/.exec(res.out)?.[1];
      if (res.code === 0 && dir) {
        const nodes = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).nodes;
        for (const id of ['n1', 'n2', 'n3', 'n4']) (extra[key] ??= []).push(nodes[id].durationMs);
      }
      return res;
    };
    await interleave(r, [
      ['remote.run', () => nodeMs('remote.yml', 'remote.node_ms')],
      ['remote.local', () => nodeMs('local.yml', 'local.node_ms')],
    ]);
    if (r === ROUNDS - 1) remoteServer?.kill('SIGTERM');
  },
  cli: async () => {
    for (let i = 0; i < 5; i++) record('cli.help', await run('node', [flowMain, '--help']));
    for (let i = 0; i < 3; i++) record('cli.validate1000', await run('node', [flowMain, 'validate', join(dirs.wide1000, 'wide1000.yml')]));
    for (let i = 0; i < 3; i++)
      record('cli.validate1000b', await run('node', [flowMain, 'validate', join(dirs.wide1000, 'wide1000-block.yml')]));
  },
  sched: async () => {
    // Scheduling overhead of runPlan alone, on a fake executor; 10,000 nodes is the target, the
    // smaller sizes show how it scales when 10,000 does not finish in time.
    for (const n of [1000, 2000, 10_000]) {
      const res = await run('node', [join(here, 'scheduling-overhead.mjs'), join(work, `sched${n}`)], {
        extraEnv: { BENCH_SCHED_N: String(n) },
        timeoutMs: n >= 10_000 ? 60_000 : 120_000,
      });
      if (res.code === 0) {
        const j = JSON.parse(res.out);
        (extra[`sched.${n}`] ??= []).push(j.seconds);
        process.stdout.write(
          `  sched ${n} nodes: ${j.seconds.toFixed(2)} s (plus ${(res.seconds - j.seconds).toFixed(1)} s to load the workflow)\n`,
        );
      } else {
        extra[`sched.${n}`] = ['timeout'];
        process.stdout.write(`  sched ${n} nodes: did not finish within ${n >= 10_000 ? 60 : 120} s (workflow loading included)\n`);
      }
    }
  },
};

/** One command under GNU time: its peak memory (max RSS of it and its waited children) too. */
async function timed([cmd, args, o], key) {
  const res = await run('/usr/bin/time', ['-f', 'BENCH_MAXRSS_KB=%M', cmd, ...args], o);
  const m = /BENCH_MAXRSS_KB=(\d+)/.exec(res.err);
  if (m) (extra[key] ??= []).push(Number(m[1]) / 1024);
  return res;
}

function latestNotebook(dir, name) {
  if (!existsSync(dir)) return undefined;
  const runs = readdir(dir).sort();
  const last = runs.at(-1);
  return last ? join(dir, last, name) : undefined;
}

function readdir(d) {
  return existsSync(d) ? readdirSync(d) : [];
}

/** Median time from one cell's start to the next one's, in ms (papermill cell metadata). */
function perCellMs(nb) {
  const starts = nb.cells
    .filter((c) => c.cell_type === 'code' && c.metadata?.papermill?.start_time)
    .map((c) => Date.parse(c.metadata.papermill.start_time));
  const gaps = starts
    .slice(1)
    .map((t, i) => t - starts[i])
    .slice(1); // skip the parameters cell
  // ISO timestamps carry milliseconds: the median of 98 gaps is good to about a millisecond.
  return median(gaps);
}

function median(xs) {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

// ---- run ----
const started = Date.now();
process.stdout.write(`flow benchmark: ${ROUNDS} rounds, scenarios ${ONLY.join(', ')}\n`);
for (let r = 0; r < ROUNDS; r++) {
  process.stdout.write(`round ${r + 1}/${ROUNDS}\n`);
  for (const name of ['chain', 'sleep8', 'fanout6', 'fanout100', 'ready', 'hesa', 'cells100', 'percell', 'print20mb', 'report', 'remote']) {
    if (ONLY.includes(name)) await scenarios[name](r);
  }
}
for (const name of ['cli', 'sched']) if (ONLY.includes(name)) await scenarios[name](0);
const elapsed = (Date.now() - started) / 1000;

// ---- report ----
const med = (k) => median(samples[k] ?? extra[k] ?? []);
const fmt = (x, unit = ' s', digits = 2) => (Number.isFinite(x) ? `${x.toFixed(digits)}${unit}` : 'n/a');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : NaN);
const verdict = (ok) => (ok === undefined ? '' : ok ? 'met' : '**not met**');
const n = (k) => (samples[k] ?? extra[k] ?? []).length;

const rows = [];
const add = (scenario, flow, ref, refName, r, target, ok) => rows.push({ scenario, flow, ref, refName, r, target, ok });
if (ONLY.includes('chain')) {
  const r = ratio(med('chain.flow'), med('chain.papermill'));
  add(
    '10-notebook chain',
    `${fmt(med('chain.flow'))} (n=${n('chain.flow')})`,
    `papermill ${fmt(med('chain.papermill'))} (n=${n('chain.papermill')}); nbconvert ${fmt(med('chain.nbconvert'))} (n=${n('chain.nbconvert')})`,
    'papermill',
    r,
    '≤ 0.06 × papermill',
    r <= 0.06,
  );
}
if (ONLY.includes('fanout6')) {
  const r = ratio(med('fanout6.flow'), med('fanout6.floor'));
  add(
    '6 × sleep(2) and a join, concurrency 6',
    `${fmt(med('fanout6.flow'))} (n=${n('fanout6.flow')})`,
    `floor: 6 bare kernels at once ${fmt(med('fanout6.floor'))} (n=${n('fanout6.floor')})`,
    'floor',
    r,
    '≤ 1.0 × floor',
    r <= 1.0,
  );
}
if (ONLY.includes('fanout100')) {
  const r = ratio(med('fanout100.fork'), med('fanout100.launch'));
  add(
    '100 notebooks, concurrency 2',
    `${fmt(med('fanout100.fork'))} (n=${n('fanout100.fork')})`,
    `flow --no-fork ${fmt(med('fanout100.launch'))} (n=${n('fanout100.launch')})`,
    'launched',
    r,
    '',
    undefined,
  );
}
if (ONLY.includes('ready')) {
  const r = ratio(med('ready.fork_ms'), med('ready.launch_ms'));
  add(
    'kernel ready (request to first kernel_info reply)',
    `fork ${fmt(med('ready.fork_ms'), ' ms', 0)}`,
    `launch ${fmt(med('ready.launch_ms'), ' ms', 0)} (medians of 10 each, interleaved)`,
    'launch',
    r,
    '≤ 0.2 × launch',
    r <= 0.2,
  );
}
if (ONLY.includes('hesa')) {
  const r = ratio(med('hesa.fork'), med('hesa.launch'));
  add(
    'HESA example end to end (preload: [pandas])',
    `${fmt(med('hesa.fork'))} (n=${n('hesa.fork')})`,
    `flow --no-fork ${fmt(med('hesa.launch'))} (n=${n('hesa.launch')})`,
    'no fork server',
    r,
    '≤ 0.6 × no fork server',
    r <= 0.6,
  );
}
if (ONLY.includes('sleep8')) {
  const r = ratio(med('sleep8.flow'), med('sleep8.floor'));
  add(
    '8 × sleep(2), concurrency 8',
    `${fmt(med('sleep8.flow'))} (n=${n('sleep8.flow')})`,
    `floor ${fmt(med('sleep8.floor'))} (n=${n('sleep8.floor')}); papermill ×8 in parallel ${fmt(med('sleep8.papermill'))}; nbconvert ×8 ${fmt(med('sleep8.nbconvert'))}`,
    'floor',
    r,
    '≤ 1.15 × floor',
    r <= 1.15,
  );
}
if (ONLY.includes('cells100')) {
  const r = ratio(med('cells100.flow'), med('cells100.papermill'));
  add(
    '100 trivial cells',
    `${fmt(med('cells100.flow'))} (n=${n('cells100.flow')})`,
    `papermill ${fmt(med('cells100.papermill'))}; nbconvert ${fmt(med('cells100.nbconvert'))}`,
    'papermill',
    r,
    '≤ 0.50 × papermill',
    r <= 0.5,
  );
}
if (ONLY.includes('percell')) {
  const d = med('percell.flow_ms') - med('percell.kernel_ms');
  add(
    'per-cell overhead',
    `${fmt(med('percell.flow_ms'), ' ms')} per cell`,
    `kernel round trip ${fmt(med('percell.kernel_ms'), ' ms')} (jupyter_client)`,
    'kernel',
    NaN,
    '≤ kernel + 2 ms',
    d <= 2,
  );
  rows.at(-1).note = `flow − kernel = ${fmt(d, ' ms')}`;
}
if (ONLY.includes('print20mb')) {
  const r = ratio(med('print20mb.flow'), med('print20mb.papermill'));
  const mem = med('print20mb.flow_peak_mb');
  add(
    'prints 20 MB: time',
    `${fmt(med('print20mb.flow'))}`,
    `papermill ${fmt(med('print20mb.papermill'))}; nbconvert ${fmt(med('print20mb.nbconvert'))}`,
    'papermill',
    r,
    '≤ 1.0 × papermill',
    r <= 1,
  );
  add(
    'prints 20 MB: peak memory',
    `${fmt(mem, ' MB', 0)} (flow process)`,
    `papermill ${fmt(med('print20mb.papermill_peak_mb'), ' MB', 0)}; nbconvert ${fmt(med('print20mb.nbconvert_peak_mb'), ' MB', 0)} (max RSS)`,
    '',
    NaN,
    '≤ 250 MB',
    mem <= 250,
  );
}
if (ONLY.includes('report')) {
  add(
    'report.html of the HESA run (`flow report`)',
    fmt(med('report.hesa')),
    `\`flow show\` of it ${fmt(med('report.show'))}; nbconvert of its notebooks, apart, ${fmt(med('report.nbconvert'))}`,
    '`flow show`',
    ratio(med('report.hesa'), med('report.show')),
    '≤ 1 s',
    med('report.hesa') <= 1,
  );
  const mb = med('report.wide1000_mb');
  add(
    'report.html of a 1,000-node run',
    `${fmt(med('report.wide1000'))}, ${fmt(mb, ' MB', 1)}`,
    '',
    '',
    NaN,
    '≤ 5 s and ≤ 10 MB',
    med('report.wide1000') <= 5 && mb <= 10,
  );
}
if (ONLY.includes('remote')) {
  const d = med('remote.node_ms') - med('local.node_ms');
  add(
    'a node of a chain on a loopback Jupyter Server (pool)',
    `${fmt(med('remote.node_ms'), ' ms', 0)} per node`,
    `the same node on the embedded server ${fmt(med('local.node_ms'), ' ms', 0)}`,
    'embedded',
    NaN,
    '≤ embedded + 50 ms',
    d <= 50,
  );
  rows.at(-1).note = `remote − embedded = ${fmt(d, ' ms', 0)}`;
}
if (ONLY.includes('cli')) {
  add('`flow --help`', fmt(med('cli.help') * 1000, ' ms', 0), '', '', NaN, '≤ 300 ms', med('cli.help') <= 0.3);
  add('`flow validate`, 1,000 nodes', fmt(med('cli.validate1000')), '', '', NaN, '≤ 1 s', med('cli.validate1000') <= 1);
  add(
    '`flow validate`, 1,000 nodes, block style with expressions',
    fmt(med('cli.validate1000b')),
    '',
    '',
    NaN,
    '≤ 1 s',
    med('cli.validate1000b') <= 1,
  );
}
if (ONLY.includes('sched')) {
  const s10k = extra['sched.10000']?.[0];
  const ok = typeof s10k === 'number' ? s10k <= 2 : false;
  add(
    'scheduling 10,000 nodes (fake executor)',
    typeof s10k === 'number' ? fmt(s10k) : 'did not finish in 60 s',
    `1,000 nodes ${fmt(med('sched.1000'))}; 2,000 nodes ${fmt(med('sched.2000'))}`,
    '',
    NaN,
    '≤ 2 s',
    ok,
  );
}

const table = [
  '| scenario | flow | reference (same run) | ratio | target | |',
  '|---|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.scenario} | ${r.flow} | ${r.ref} | ${Number.isFinite(r.r) ? `${r.r.toFixed(2)} × ${r.refName}` : (r.note ?? '')} | ${r.target} | ${verdict(r.ok)} |`,
  ),
].join('\n');

const versions = await pyVersions();
const cpu = cpus()[0]?.model ?? 'unknown CPU';
const machine = [
  `- ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Linux ${release()}`,
  `- Node ${process.version}; ${versions}`,
  `- load average at the end: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(', ')} (the machine is shared: other work ran alongside)`,
  `- ${ROUNDS} interleaved rounds (papermill's chain and 8 × sleep: 2 of them; nbconvert's: 1); medians; the whole run took ${(elapsed / 60).toFixed(1)} min`,
].join('\n');

process.stdout.write(`\n${table}\n\n${machine}\n`);
writeFileSync(join(work, 'results.json'), JSON.stringify({ samples, extra, rows, at: new Date().toISOString() }, null, 1));
if (ONLY.join(',') === ALL) {
  writeFileSync(
    join(here, 'RESULTS.md'),
    `# Benchmark results\n\nProduced by \`npm run bench\` (bench/run.mjs) on ${new Date().toISOString().slice(0, 10)}. ` +
      'flow, papermill and `jupyter nbconvert --execute` ran the same generated notebooks (bench/scenarios.mjs) in the same run, ' +
      'interleaved round by round. papermill and nbconvert are the pinned versions that `npm run setup` pip-installs into the ' +
      "project's dev environment `.venv` (python/requirements-dev.txt); the floor uses that environment's jupyter_client.\n\n" +
      `${table}\n\nMachine:\n\n${machine}\n\nHow each figure is measured: see docs/performance.md.\n`,
  );
  process.stdout.write('\nwrote bench/RESULTS.md\n');
}

async function pyVersions() {
  const code =
    'import importlib.metadata as m, sys\n' +
    'print("Python " + sys.version.split()[0] + "; " + ", ".join(p + " " + m.version(p) for p in ["papermill", "nbconvert", "nbclient", "jupyter_server", "ipykernel", "jupyter_client"]))';
  const r = await run(py, ['-c', code]);
  return r.out.trim();
}
