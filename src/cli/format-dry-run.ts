// --dry-run: the plan and what each node would be given, as text.
import { basename } from 'node:path';
import type { PlannedNode } from '../engine/describe-plan.js';
import type { Plan } from '../graph/types.js';

export interface DryRunView {
  /** The run's resolved params. */
  params: Record<string, unknown>;
  /** The nodes --only/--from select; undefined: all of them. */
  selected?: ReadonlySet<string>;
  /** How they were selected, for the header: `--only ship`, `--from fix`. */
  selectedBy?: string;
}

export function formatDryRun(plan: Plan, nodes: PlannedNode[], view: DryRunView): string {
  const wf = plan.workflow;
  const shown = view.selected ? nodes.filter((n) => view.selected!.has(n.node)) : nodes;
  const count = view.selected ? `${shown.length} of ${nodes.length} nodes (${view.selectedBy})` : `${nodes.length} nodes`;
  const lines = [`Plan for ${wf.name}: ${count}, concurrency ${wf.concurrency}; nothing is run.`];
  const params = Object.entries(view.params).map(([k, v]) => `${k}=${show(v)}`);
  lines.push(`params: ${params.join(' ') || '-'}`, '');
  for (const n of shown) {
    lines.push(`${n.node}  ${n.notebook ?? 'decision node (no notebook)'}`);
    if (n.needs.length > 0) lines.push(`  needs: ${n.needs.join(', ')}`);
    const choosers = plan.branchParents[n.node] ?? [];
    if (choosers.length > 0) {
      // A node outside --only/--from does not run, so its `next` chooses nothing.
      const ignored = view.selected && choosers.every((c) => !view.selected!.has(c)) ? ' (outside the run: not applied)' : '';
      lines.push(`  runs if chosen by: ${choosers.join(', ')}${ignored}`);
    }
    if (n.runIf !== 'none_failed_min_one_success') lines.push(`  run_if: ${n.runIf}`);
    if (n.if) lines.push(`  if: ${n.if}`);
    for (const [k, v] of Object.entries(n.params)) {
      const later = n.deferred.includes(k) ? '   (rendered when upstream outputs exist)' : '';
      lines.push(`  param ${k} = ${show(v)}${later}`);
    }
    if (n.matrix) {
      const cap = wf.nodes[n.node].matrix?.maxParallel;
      lines.push(`  matrix: ${n.matrix.length} instances${cap ? `, ${cap} at a time` : ''}`);
      const notebooks = wf.nodes[n.node].instanceNotebooks;
      n.matrix.forEach((combo, i) => {
        const values = Object.entries(combo).map(([k, v]) => `${k} = ${show(v)}`);
        // A fan-out over notebooks: each instance's own notebook, as it was resolved.
        const notebook = notebooks?.[i] ? `  → ${basename(notebooks[i])}` : '';
        lines.push(`    [${i}] ${values.join(', ')}${notebook}`);
      });
    }
    for (const b of n.next) lines.push(`  next: ${b.when ? `when ${b.when} → ` : 'otherwise → '}${b.goto}`);
    lines.push('');
  }
  if (view.selected) {
    const outside = nodes.filter((n) => !view.selected!.has(n.node)).map((n) => n.node);
    if (outside.length > 0) lines.push(`not run (outside ${view.selectedBy}): ${outside.join(', ')}`, '');
  }
  return lines.join('\n');
}

/** JSON, with CEL's BigInt integers as numbers. */
function show(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x)) ?? String(v);
}
