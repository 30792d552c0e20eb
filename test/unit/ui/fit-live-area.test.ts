// The live area never reaches the terminal's height (Ink would clear the scrollback).
import { describe, expect, it } from 'vitest';
import type { NodeState } from '../../../src/events/run-state.js';
import { reflowExtraLines } from '../../../src/report/reflow-guard.js';
import { fitLiveArea, MAX_TAIL_LINES } from '../../../src/ui/fit-live-area.js';

function running(id: string, lastOutput: string[] = []): NodeState {
  return { id, notebook: `${id}.ipynb`, status: 'running', attempts: [], lastOutput };
}

describe('fitLiveArea', () => {
  it('shows every running node and full output tails when there is room', () => {
    const nodes = [running('a', ['1', '2']), running('b', ['x'])];
    expect(fitLiveArea(nodes, 40, 3, true)).toEqual({ shown: nodes, hidden: [], tailLines: MAX_TAIL_LINES });
  });

  it('shrinks output tails before hiding nodes', () => {
    const nodes = [running('a', ['1']), running('b', ['2'])];
    // rows 10, fixed 3 → budget 6 lines: 2 node lines + 2 tail lines each.
    expect(fitLiveArea(nodes, 10, 3, true).tailLines).toBe(2);
  });

  it('collapses the nodes beyond the budget into one "more running" line', () => {
    const nodes = ['a', 'b', 'c', 'd', 'e'].map((id) => running(id));
    const fit = fitLiveArea(nodes, 6, 2, false); // budget 3: 2 nodes + the "more" line
    expect(fit.shown.map((n) => n.id)).toEqual(['a', 'b']);
    expect(fit.hidden.map((n) => n.id)).toEqual(['c', 'd', 'e']);
    expect(fit.tailLines).toBe(0);
  });

  it('shows no tails outside verbose mode', () => {
    expect(fitLiveArea([running('a', ['1'])], 40, 3, false).tailLines).toBe(0);
  });
});

describe('reflowExtraLines', () => {
  it('counts the extra physical lines of lines wider than the terminal', () => {
    expect(reflowExtraLines(`short\n${'x'.repeat(130)}\n`, 60)).toBe(2);
    expect(reflowExtraLines(`\u001b[32m${'y'.repeat(60)}\u001b[39m`, 60)).toBe(0);
    expect(reflowExtraLines('', 60)).toBe(0);
  });
});
