import { describe, expect, it } from 'vitest';
import { applyTriggerRule, type Edge, type EdgeStatus } from '../../../src/engine/trigger-rules.js';
import type { RunIf } from '../../../src/workflow/types.js';

const rules: RunIf[] = ['none_failed_min_one_success', 'all_success', 'all_done', 'one_success', 'one_failed', 'all_failed', 'none_failed'];
const single: EdgeStatus[] = ['succeeded', 'failed', 'upstream_failed', 'skipped', 'cancelled'];

/** Outcome per rule, for one edge of each status in `single` order. */
const expectedSingle: Record<RunIf, string[]> = {
  none_failed_min_one_success: ['run', 'upstream_failed', 'upstream_failed', 'skipped', 'cancelled'],
  all_success: ['run', 'upstream_failed', 'upstream_failed', 'skipped', 'cancelled'],
  all_done: ['run', 'run', 'run', 'run', 'cancelled'],
  one_success: ['run', 'upstream_failed', 'upstream_failed', 'skipped', 'cancelled'],
  one_failed: ['skipped', 'run', 'run', 'skipped', 'cancelled'],
  all_failed: ['skipped', 'run', 'run', 'skipped', 'cancelled'],
  none_failed: ['run', 'upstream_failed', 'upstream_failed', 'run', 'cancelled'],
};

function outcome(rule: RunIf, statuses: EdgeStatus[]): string {
  const o = applyTriggerRule(
    rule,
    statuses.map((status, i) => ({ from: `u${i}`, status })),
  );
  return o.run ? 'run' : o.status;
}

describe('applyTriggerRule', () => {
  for (const rule of rules) {
    it(`${rule} against each single upstream status`, () => {
      expect(single.map((s) => outcome(rule, [s]))).toEqual(expectedSingle[rule]);
    });
  }

  it.each([
    // [edges, nfmos, all_success, all_done, one_success, one_failed, all_failed, none_failed]
    [['succeeded', 'skipped'], 'run', 'skipped', 'run', 'run', 'skipped', 'skipped', 'run'],
    [['succeeded', 'failed'], 'upstream_failed', 'upstream_failed', 'run', 'run', 'run', 'skipped', 'upstream_failed'],
    [['failed', 'skipped'], 'upstream_failed', 'upstream_failed', 'run', 'upstream_failed', 'run', 'skipped', 'upstream_failed'],
    [['failed', 'upstream_failed'], 'upstream_failed', 'upstream_failed', 'run', 'upstream_failed', 'run', 'run', 'upstream_failed'],
    [['skipped', 'skipped'], 'skipped', 'skipped', 'run', 'skipped', 'skipped', 'skipped', 'run'],
    [['succeeded', 'succeeded'], 'run', 'run', 'run', 'run', 'skipped', 'skipped', 'run'],
    [['succeeded', 'cancelled'], 'cancelled', 'cancelled', 'cancelled', 'cancelled', 'cancelled', 'cancelled', 'cancelled'],
  ] as [EdgeStatus[], ...string[]][])('two edges %j', (edges, ...expected) => {
    expect(rules.map((r) => outcome(r, edges))).toEqual(expected);
  });

  it('runs a node without needs whatever the rule', () => {
    expect(rules.map((r) => outcome(r, []))).toEqual(rules.map(() => 'run'));
  });

  it('says which upstream failed', () => {
    const o = applyTriggerRule('none_failed_min_one_success', [
      { from: 'a', status: 'succeeded' },
      { from: 'b', status: 'failed' },
      { from: 'c', status: 'upstream_failed' },
    ]);
    expect(o).toEqual({ run: false, status: 'upstream_failed', skip: { kind: 'upstream_failed', upstream: ['b', 'c'] } });
  });

  it('names the rule and every edge when the rule is not met', () => {
    const o = applyTriggerRule('one_failed', [
      { from: 'a', status: 'succeeded' },
      { from: 'b', status: 'skipped' },
    ]);
    expect(o).toEqual({
      run: false,
      status: 'skipped',
      skip: { kind: 'trigger_rule', rule: 'one_failed', upstream: { a: 'succeeded', b: 'skipped' } },
    });
  });

  it('prefers a branch not taken over skipped upstream nodes as the reason', () => {
    const branch: Edge['branch'] = { kind: 'branch_not_taken', by: 'v', chose: 'x', because: 'otherwise', operands: {} };
    const withBranch = applyTriggerRule('none_failed_min_one_success', [
      { from: 'y', status: 'skipped' },
      { from: 'v', status: 'skipped', branch },
    ]);
    expect(withBranch).toEqual({ run: false, status: 'skipped', skip: branch });
    const plain = applyTriggerRule('all_success', [
      { from: 'a', status: 'succeeded' },
      { from: 'y', status: 'skipped' },
    ]);
    expect(plain).toEqual({ run: false, status: 'skipped', skip: { kind: 'upstream_skipped', upstream: ['y'] } });
  });
});
