// Writes a synthetic 1,000-node run directory (run.json only) for the report benchmark: ten layers
// of a hundred nodes, each needing two of the layer before, with retries, failures, skips, a
// branch per layer and one 20-instance matrix; each with a small executed notebook to read.
//   node bench/report-run.mjs DIR [NODES]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, count = '1000'] = process.argv.slice(2);
const N = Number(count);
const WIDTH = 100;
const t0 = Date.parse('2026-12-01T06:00:00Z');
const iso = (s) => new Date(t0 + s * 1000).toISOString();
const nodes = {};
const snapshot = {};
for (let i = 0; i < N; i++) {
  const layer = Math.floor(i / WIDTH);
  const id = `n${i}`;
  const needs = layer === 0 ? [] : [`n${(layer - 1) * WIDTH + (i % WIDTH)}`, `n${(layer - 1) * WIDTH + ((i + 1) % WIDTH)}`];
  const start = layer * 3 + (i % 7) * 0.1;
  const failed = i % 97 === 13;
  const retried = i % 31 === 5;
  const skipped = i % 50 === 49;
  const attempts = [];
  if (!skipped) {
    if (retried)
      attempts.push({
        attempt: 1,
        startedAt: iso(start),
        finishedAt: iso(start + 0.4),
        error: { errorClass: 'kernel_died', message: 'the kernel died' },
      });
    const s = retried ? start + 1.4 : start;
    attempts.push({
      attempt: attempts.length + 1,
      startedAt: iso(s),
      finishedAt: iso(s + 1.2),
      notebookPath: join(dir, `${id}.ipynb`),
      ...(failed && {
        error: {
          errorClass: 'error',
          message: 'ValueError: bad',
          ename: 'ValueError',
          evalue: 'bad',
          traceback: ['Traceback', 'ValueError: bad'],
        },
      }),
    });
  }
  const status = skipped ? 'skipped' : failed ? 'failed' : 'succeeded';
  nodes[id] = {
    id,
    notebook: `nb/${id}.ipynb`,
    status,
    attempts,
    lastOutput: [],
    params: { layer, index: i, label: `node ${i}` },
    ...(status === 'succeeded' && { outputs: { rows: i * 10, ok: true } }),
    ...(failed && { error: attempts.at(-1).error, continueOnError: true }),
    ...(skipped && {
      skip: {
        kind: 'branch_not_taken',
        by: `n${i - 1}`,
        chose: `n${i + 1}`,
        because: 'outputs.rows > 0',
        operands: { 'outputs.rows': 10 },
      },
    }),
    ...(!skipped && { startedAt: attempts[0].startedAt, finishedAt: attempts.at(-1).finishedAt, durationMs: 1200 }),
  };
  snapshot[id] = {
    notebook: `/nb/${id}.ipynb`,
    notebookAsWritten: `nb/${id}.ipynb`,
    needs,
    next: i % 50 === 48 ? [{ when: 'outputs.rows > 0', goto: `n${i + 1}` }] : [],
    params: {},
    outputs: { rows: 'integer', ok: 'boolean' },
    runIf: 'none_failed_min_one_success',
  };
}
// One matrix node with a numeric key and a numeric output.
const m = nodes.n0;
m.instances = Array.from({ length: 20 }, (_, k) => {
  const inst = structuredClone(m);
  inst.attempts.at(-1).notebookPath = join(dir, `n0.${k}.ipynb`);
  return { ...inst, params: { coef: k / 10 }, outputs: { rows: k * k, ok: true } };
});
snapshot.n0.matrix = { coef: Array.from({ length: 20 }, (_, k) => k / 10) };
mkdirSync(dir, { recursive: true });
const notebook = (i) =>
  JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, papermill: { parameters: { index: i } } },
    cells: [
      { cell_type: 'code', id: 'p', metadata: { tags: ['parameters'] }, source: 'index = 0', outputs: [], execution_count: 1 },
      {
        cell_type: 'code',
        id: 'a',
        metadata: {},
        source: 'rows = index * 10\nprint(rows)',
        outputs: [{ output_type: 'stream', name: 'stdout', text: `${i * 10}\n` }],
        execution_count: 2,
      },
    ],
  });
for (const n of Object.values(nodes)) {
  for (const s of [n, ...(n.instances ?? [])]) {
    const path = s.attempts.at(-1)?.notebookPath;
    if (path) writeFileSync(path, notebook(Number(n.id.slice(1))));
  }
}
const run = {
  schemaVersion: 1,
  flowVersion: 'bench',
  workflowHash: 'bench',
  workflowSnapshot: { name: 'wide', file: '/bench/wide.yml', hash: 'bench', nodes: snapshot },
  updatedAt: iso(40),
  runId: '20261201T060000Z-beef',
  workflow: 'wide',
  workflowFile: '/bench/wide.yml',
  runDir: dir,
  params: { period: 'P1' },
  startedAt: iso(0),
  finishedAt: iso(40),
  status: 'failed',
  exitCode: 1,
  durationMs: 40_000,
  nodes,
  logs: [],
};
writeFileSync(join(dir, 'run.json'), JSON.stringify(run));
