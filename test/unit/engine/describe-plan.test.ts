import { describe, expect, it } from 'vitest';
import { describePlanRun } from '../../../src/engine/describe-plan.js';
import { fakeExpressions } from './fake-expressions.js';
import { makePlan } from './plan-fixture.js';

describe('describePlanRun', () => {
  it('renders what it can and keeps templates that read upstream outputs', () => {
    const plan = makePlan({
      extract: { params: { year: '${{ params.year }}', tag: 'r-${{ run.id }}' } },
      validate: {
        needs: ['extract'],
        params: { path: '${{ nodes.extract.outputs.path }}', year: '${{ params.year }}' },
        next: [{ when: 'outputs.errors > 0', goto: 'report' }, { goto: 'done' }],
      },
      report: { if: 'params.year > 2000', matrix: { axes: { k: [1, 2] } } },
      done: {},
    });
    const described = describePlanRun(plan, { year: 2025 }, fakeExpressions, { runId: 'preview' });
    expect(described.map((d) => d.node)).toEqual(['extract', 'validate', 'report', 'done']);
    expect(described[0]).toMatchObject({ params: { year: 2025, tag: 'r-preview' }, deferred: [], needs: [] });
    expect(described[1]).toMatchObject({
      params: { path: '${{ nodes.extract.outputs.path }}', year: 2025 },
      deferred: ['path'],
      needs: ['extract'],
      next: [{ when: 'outputs.errors > 0', goto: 'report' }, { goto: 'done' }],
    });
    expect(described[2]).toMatchObject({ if: 'params.year > 2000', matrix: [{ k: 1 }, { k: 2 }], runIf: 'none_failed_min_one_success' });
  });
});
