import { describe, expect, it } from 'vitest';
import type { AttemptRequest } from '../../../src/engine/executor.js';
import { expandMatrix } from '../../../src/engine/matrix.js';
import { harness } from './harness.js';
import { makePlan } from './plan-fixture.js';

const score = (req: AttemptRequest) => ({ outputs: { score: `${String(req.params.coef)}/${String(req.params.seed)}` }, durationMs: 10 });

describe('matrix', () => {
  it('expands axes as a cartesian product, last axis fastest', () => {
    expect(expandMatrix({ axes: { coef: [0.1, 0.5], seed: [1, 2] } })).toEqual([
      { coef: 0.1, seed: 1 },
      { coef: 0.1, seed: 2 },
      { coef: 0.5, seed: 1 },
      { coef: 0.5, seed: 2 },
    ]);
  });

  it('runs each instance with its key as a param and gives downstream lists in matrix order', async () => {
    const plan = makePlan({
      m: { params: { base: 1 }, matrix: { axes: { coef: [0.1, 0.5], seed: [1, 2] } }, outputs: { score: 'string' } },
      d: { needs: ['m'], params: { scores: '${{ nodes.m.outputs.score }}' } },
    });
    const h = harness(plan, { m: score });
    const summary = await h.run();
    expect(h.executor.callsOf('m').map((c) => [c.instance, c.params, c.outputPath])).toEqual([
      [0, { base: 1, coef: 0.1, seed: 1 }, '/runs/wf/r1/m.0.ipynb'],
      [1, { base: 1, coef: 0.1, seed: 2 }, '/runs/wf/r1/m.1.ipynb'],
      [2, { base: 1, coef: 0.5, seed: 1 }, '/runs/wf/r1/m.2.ipynb'],
      [3, { base: 1, coef: 0.5, seed: 2 }, '/runs/wf/r1/m.3.ipynb'],
    ]);
    expect(h.executor.callsOf('d')[0].params).toEqual({ scores: ['0.1/1', '0.1/2', '0.5/1', '0.5/2'] });
    expect(summary.nodes.m).toMatchObject({ status: 'succeeded', outputs: { score: ['0.1/1', '0.1/2', '0.5/1', '0.5/2'] } });
    expect(h.events[0]).toMatchObject({ type: 'run_started', nodes: [{ id: 'm', instances: 4 }, { id: 'd' }] });
    const instanceEnds = h.events.flatMap((e) =>
      e.type === 'node_finished' && e.node === 'm' && e.instance !== undefined ? [e.instance] : [],
    );
    expect(instanceEnds.sort()).toEqual([0, 1, 2, 3]);
  });

  it('renders params once per instance, with its values as matrix.*', async () => {
    const plan = makePlan({
      m: {
        params: { label: 'coef=${{ matrix.coef }}' },
        matrix: { axes: { coef: [0.1, 0.5] } },
      },
    });
    const h = harness(plan, { m: score });
    await h.run();
    expect(h.executor.callsOf('m').map((c) => c.params)).toEqual([
      { label: 'coef=0.1', coef: 0.1 },
      { label: 'coef=0.5', coef: 0.5 },
    ]);
  });

  it('limits instances to maxParallel', async () => {
    const plan = makePlan({ m: { matrix: { axes: { coef: [1, 2, 3, 4, 5] }, maxParallel: 2 } } }, { concurrency: 8 });
    const h = harness(plan, { m: score });
    await h.run();
    expect(h.executor.maxRunning).toBe(2);
    expect(h.executor.callsOf('m')).toHaveLength(5);
  });

  it('fails the node when an instance fails, after every instance ran', async () => {
    const plan = makePlan({ m: { matrix: { axes: { coef: [1, 2, 3] } } }, d: { needs: ['m'] } });
    const h = harness(plan, { 'm#1': { fail: 'error' } });
    const summary = await h.run();
    expect(summary.nodes.m).toMatchObject({ status: 'failed', error: { message: 'error in m' } });
    expect(summary.nodes.d.status).toBe('upstream_failed');
    expect(h.executor.callsOf('m')).toHaveLength(3);
  });

  it('retries an instance on its own, with instance notebook names', async () => {
    const plan = makePlan({ m: { matrix: { axes: { k: ['a', 'b'] } }, retry: { attempts: 2, delay: 100, on: ['timeout'] } } });
    const h = harness(plan, { 'm#1': [{ fail: 'timeout' }, {}] });
    await h.run();
    const failed = h.events.find((e) => e.type === 'attempt_failed');
    expect(failed).toMatchObject({ node: 'm', instance: 1, attempt: 1, notebookPath: '/runs/wf/r1/m.1.attempt-1.ipynb' });
    expect(h.executor.callsOf('m').map((c) => [c.instance, c.attempt])).toEqual([
      [0, 1],
      [1, 1],
      [1, 2],
    ]);
  });
});
