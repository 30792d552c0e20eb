// --dry-run: the plan and what each node would be given, as text.
import type { PlannedNode } from '../engine/describe-plan.js';
import type { Plan } from '../graph/types.js';

export function formatDryRun(plan: Plan, nodes: PlannedNode[]): string {
  const wf = plan.workflow;
  const lines = [`Plan for ${wf.name} (${nodes.length} nodes, concurrency ${wf.concurrency}); nothing is run.`, ''];
  for (const n of nodes) {
    lines.push(`${n.node}  ${n.notebook}`);
    if (n.needs.length > 0) lines.push(`  needs: ${n.needs.join(', ')}`);
    if (n.runIf !== 'none_failed_min_one_success') lines.push(`  run_if: ${n.runIf}`);
    if (n.if) lines.push(`  if: ${n.if}`);
    for (const [k, v] of Object.entries(n.params)) {
      const later = n.deferred.includes(k) ? '   (rendered when upstream outputs exist)' : '';
      lines.push(`  param ${k} = ${JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x))}${later}`);
    }
    if (n.matrix) lines.push(`  matrix: ${n.matrix.length} instances`);
    for (const b of n.next) lines.push(`  next: ${b.when ? `when ${b.when} → ` : 'otherwise → '}${b.goto}`);
    lines.push('');
  }
  return lines.join('\n');
}
