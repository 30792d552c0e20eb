// Which nodes a run executes: all of them, `--only` some, or `--from` one and its downstream.
import { UsageError } from '../errors.js';
import type { Plan } from '../graph/types.js';
import { didYouMean } from '../workflow/did-you-mean.js';

/** The selected node ids, or undefined when the whole plan runs. Throws UsageError on unknown ids. */
export function selectNodes(plan: Plan, only?: readonly string[], from?: string): Set<string> | undefined {
  if (only && only.length > 0) {
    for (const id of only) assertKnown(plan, id, '--only');
    return new Set(only);
  }
  if (from === undefined) return undefined;
  assertKnown(plan, from, '--from');
  return downstreamClosure(plan, [from]);
}

/** `roots` and every node downstream of them. */
export function downstreamClosure(plan: Plan, roots: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(plan.downstream[id] ?? []));
  }
  return seen;
}

function assertKnown(plan: Plan, id: string, flag: string): void {
  if (plan.workflow.nodes[id]) return;
  const hint = didYouMean(id, plan.order);
  throw new UsageError(`${flag} names unknown node "${id}"`, hint ?? `nodes: ${plan.order.join(', ')}`);
}
