// A small recorded run for ledger tests: a workflow whose notebooks exist, run on fakes.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPlan } from '../../../src/engine/scheduler.js';
import { RunLedger } from '../../../src/ledger/run-ledger.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { FakeExecutor, type FakeScript } from '../../helpers/fake-executor.js';
import type { RunOptions } from '../../../src/engine/run-options.js';
import { runIdTime } from '../../../src/ledger/run-id.js';
import { fakeExpressions } from '../engine/fake-expressions.js';
import { makeWorkflow, planOf } from '../engine/plan-fixture.js';

/** A workflow whose notebooks exist (so that they are hashed), in a temp folder with a runs dir. */
export function fixture() {
  const root = mkdtempSync(join(tmpdir(), 'flow-ledger-'));
  const nb = join(root, 'nb');
  mkdirSync(nb);
  const wf = makeWorkflow({
    a: { outputs: { n: 'integer' }, notebook: join(nb, 'a.ipynb') },
    b: { needs: ['a'], params: { n: '${{ nodes.a.outputs.n }}' }, notebook: join(nb, 'b.ipynb'), if: 'nodes.a.outputs.n > 5' },
    c: { needs: ['a'], notebook: join(nb, 'c.ipynb') },
  });
  for (const id of ['a', 'b', 'c']) writeFileSync(join(nb, `${id}.ipynb`), `{"id":"${id}"}`);
  return { root, wf, plan: planOf(wf), runsDir: join(root, 'runs') };
}

export type Fixture = ReturnType<typeof fixture>;

export interface RecordOptions {
  runId?: string;
  reuse?: RunOptions['reuse'];
  resumedFrom?: string;
}

/** Runs the fixture's plan on fakes into runs/wf/<runId>/ with a RunLedger. */
export async function recordRun(f: Fixture, script: FakeScript, opts: RecordOptions = {}) {
  const runId = opts.runId ?? '20261126T093000Z-3f9a';
  const runDir = join(f.root, 'runs', 'wf', runId);
  mkdirSync(runDir, { recursive: true });
  const ledger = await RunLedger.open({ runDir, workflow: f.wf, flowVersion: '9.9.9' });
  const clock = new FakeClock({ start: runIdTime(runId)?.getTime() });
  const summary = await runPlan(f.plan, {
    executor: new FakeExecutor(script, { clock }),
    params: { year: 2025n },
    runId,
    runDir,
    emit: ledger.handle,
    clock,
    expressions: fakeExpressions,
    reuse: opts.reuse,
    resumedFrom: opts.resumedFrom,
  });
  await ledger.close();
  return { summary, ledger, runDir };
}
