// Scheduling overhead: a 10,000-node workflow run by the real scheduler on an executor that does
// nothing. Prints {seconds, nodes} as JSON; the time covers runPlan only (not YAML parsing).
// BENCH_SCHED_LEDGER=1 also records the run with the RunLedger (events.ndjson and run.json), as
// `flow run` does; `seconds` then includes closing the ledger.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadWorkflow } from '../dist/run/load-workflow.js';
import { buildPlan } from '../dist/graph/build-plan.js';
import { runPlan } from '../dist/engine/scheduler.js';
import { evaluateCondition, renderTemplate } from '../dist/workflow/evaluate-expr.js';
import { RunLedger } from '../dist/ledger/run-ledger.js';

const dir = process.argv[2];
mkdirSync(dir, { recursive: true });
const N = Number(process.env.BENCH_SCHED_N ?? 10_000);
// Layers of 100; each node needs two of the layer before, and passes a templated param.
let wf = 'name: bench-sched10k\nconcurrency: 8\nnodes:\n';
for (let i = 0; i < N; i++) {
  const layer = Math.floor(i / 100);
  const needs = layer === 0 ? '' : `, needs: [n${i - 100}, n${(layer - 1) * 100 + ((i + 1) % 100)}]`;
  wf += `  n${i}: { notebook: n.ipynb, params: { x: "\${{ params.x }}" }${needs} }\n`;
}
wf = wf.replace('concurrency: 8\n', 'concurrency: 8\nparams:\n  x: { type: integer, default: 1 }\n');
writeFileSync(join(dir, 'sched10k.yml'), wf);
writeFileSync(join(dir, 'n.ipynb'), JSON.stringify({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 }));

const { workflow } = await loadWorkflow(join(dir, 'sched10k.yml'));
const plan = buildPlan(workflow);
let events = 0;
const withLedger = process.env.BENCH_SCHED_LEDGER === '1';
const runDir = join(dir, 'run');
mkdirSync(runDir, { recursive: true });
const ledger = withLedger ? await RunLedger.open({ runDir, workflow, flowVersion: 'bench', snapshot: {} }) : undefined;
const executor = { execute: async () => ({ ok: true, outputs: {} }), prepare() {} };
const t = performance.now();
const summary = await runPlan(plan, {
  executor,
  params: { x: 1 },
  runId: 'bench',
  runDir,
  emit: (ev) => {
    events++;
    ledger?.handle(ev);
  },
  expressions: { evaluateCondition, renderTemplate },
});
await ledger?.close();
const seconds = (performance.now() - t) / 1000;
const ok = Object.values(summary.nodes).filter((n) => n.status === 'succeeded').length;
process.stdout.write(`${JSON.stringify({ seconds, nodes: N, succeeded: ok, events, ...(withLedger && { ledger: true }) })}\n`);
