// reduceRunStateInPlace: the same fold as reduceRunState, without copying every node per event.
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/events/run-event.js';
import { initialRunState, reduceRunState, reduceRunStateInPlace, type RunState } from '../../../src/events/run-state.js';
import { buildEventScript } from '../../helpers/event-script.js';

describe('reduceRunStateInPlace', () => {
  it('gives the state reduceRunState gives, after every event', () => {
    let pure = initialRunState();
    let owned = initialRunState();
    for (const ev of buildEventScript()) {
      pure = reduceRunState(pure, ev);
      owned = reduceRunStateInPlace(owned, ev);
      expect(owned).toEqual(pure);
    }
  });

  it('returns a new state and a new node for each change, and keeps the other nodes as they were', () => {
    const at = '2026-11-26T09:30:00.000Z';
    const started: RunEvent = {
      type: 'run_started',
      at,
      runId: 'r',
      workflow: 'w',
      workflowFile: 'w.yml',
      runDir: 'runs/r',
      params: {},
      nodes: Array.from({ length: 10_000 }, (_, i) => ({ id: `n${i}`, notebook: 'n.ipynb' })),
    };
    let state: RunState = reduceRunStateInPlace(initialRunState(), started);
    const before = state;
    const untouched = state.nodes.n1;
    const changed = state.nodes.n0;
    state = reduceRunStateInPlace(state, { type: 'node_queued', at, node: 'n0' });
    expect(state).not.toBe(before);
    expect(state.nodes.n0).not.toBe(changed);
    expect(state.nodes.n0.status).toBe('queued');
    expect(changed.status).toBe('pending');
    expect(state.nodes.n1).toBe(untouched);
    // 40,000 node events on 10,000 nodes: quadratic copying would take minutes here.
    for (let i = 0; i < 10_000; i++) {
      const node = `n${i}`;
      state = reduceRunStateInPlace(state, { type: 'node_queued', at, node });
      state = reduceRunStateInPlace(state, {
        type: 'node_started',
        at,
        node,
        attempt: 1,
        maxAttempts: 1,
        notebookPath: `${node}.ipynb`,
        params: {},
      });
      state = reduceRunStateInPlace(state, { type: 'node_finished', at, node, status: 'succeeded', attempts: 1, durationMs: 1 });
    }
    expect(Object.values(state.nodes).every((n) => n.status === 'succeeded' && n.attempts.length === 1)).toBe(true);
  });
});
