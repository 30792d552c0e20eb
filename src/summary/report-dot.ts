// A run's DAG as Graphviz DOT: nodes coloured by status (a decision node a diamond, a matrix node
// a stack with its instance count), `needs` edges, and branch edges labelled with their condition,
// the chosen one with the operands it read. Laid out by Graphviz itself (render-graphics.ts).
import type { SkipReason } from '../events/run-event.js';
import type { NodeState } from '../events/run-state.js';
import type { RunRecord } from '../ledger/run-record.js';
import { formatDuration, formatValue } from './summary-notebook.js';

const FILL: Record<string, string> = {
  succeeded: '#d7f0d8',
  failed: '#fbd3d3',
  upstream_failed: '#fde4cf',
  cancelled: '#fde4cf',
  skipped: '#eeeeee',
  running: '#d6e8fb',
  retrying: '#d6e8fb',
  queued: '#ffffff',
  pending: '#ffffff',
};
const STROKE: Record<string, string> = { succeeded: '#2e7d32', failed: '#c62828', upstream_failed: '#ef6c00', cancelled: '#ef6c00' };

/** A DOT string literal. */
function q(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

/** A line of text cut to `max` characters. */
function cut(s: string, max = 60): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** Why a node was skipped, in a few words. */
export function skipText(skip: SkipReason): string {
  switch (skip.kind) {
    case 'branch_not_taken':
      return skip.chose ? `${skip.by} chose ${skip.chose}` : `${skip.by} chose no branch`;
    case 'condition_false':
      return `if ${skip.expression} was false`;
    case 'upstream_skipped':
      return `upstream skipped: ${skip.upstream.join(', ')}`;
    case 'upstream_failed':
      return `upstream failed: ${skip.upstream.join(', ')}`;
    case 'trigger_rule':
      return `run_if ${skip.rule} not met`;
  }
}

function operandsText(operands: Record<string, unknown>): string {
  return Object.entries(operands)
    .map(([k, v]) => `${k}=${formatValue(v)}`)
    .join(', ');
}

function nodeLabel(n: NodeState): string {
  const lines = [n.id];
  const instances = n.instances?.length ?? 0;
  if (instances > 0) lines[0] += ` ×${instances}`;
  const when = n.durationMs !== undefined && n.status !== 'skipped' ? ` · ${formatDuration(n.durationMs)}` : '';
  const tries = n.attempts.length > 1 ? ` · ${n.attempts.length} attempts` : '';
  lines.push(`${n.status.replace(/_/g, ' ')}${when}${tries}`);
  if (n.skip) lines.push(cut(skipText(n.skip), 40));
  if (n.status === 'failed' && n.error?.ename) lines.push(cut(n.error.ename, 40));
  return lines.join('\n');
}

/** The DOT of a run; node ids become SVG element ids `node-<id>`, with class `status-<status>`. */
export function buildDot(run: RunRecord): string {
  const snapshot = run.workflowSnapshot?.nodes ?? {};
  const out = [
    'digraph flow {',
    '  rankdir=LR; nodesep=0.35; ranksep=0.55;',
    '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, penwidth=1.4];',
    '  edge [fontname="Helvetica", fontsize=9, color="#6e7781", arrowsize=0.7];',
  ];
  for (const n of Object.values(run.nodes)) {
    const attrs = [
      `id=${q(`node-${n.id}`)}`,
      `class=${q(`status-${n.status}`)}`,
      `label=${q(nodeLabel(n))}`,
      `fillcolor=${q(FILL[n.status] ?? '#ffffff')}`,
      `color=${q(STROKE[n.status] ?? '#8c959f')}`,
      `href=${q(`#n-${n.id}`)}`,
      `tooltip=${q(n.skip ? `${n.id}: skipped, ${skipText(n.skip)}` : `${n.id}: ${n.status}`)}`,
    ];
    if (n.decision) attrs.push('shape=diamond', 'style="filled"');
    else if ((n.instances?.length ?? 0) > 0) attrs.push('shape=box3d', 'style="filled"');
    if (n.status === 'skipped') attrs.push('fontcolor="#57606a"', 'style="rounded,filled,dashed"');
    out.push(`  ${q(n.id)} [${attrs.join(', ')}];`);
  }
  for (const [id, snap] of Object.entries(snapshot)) {
    if (!run.nodes[id]) continue;
    for (const up of snap.needs) if (run.nodes[up]) out.push(`  ${q(up)} -> ${q(id)};`);
    const branch = run.nodes[id]!.branch;
    for (const b of snap.next) {
      if (!run.nodes[b.goto]) continue;
      const condition = b.when ?? 'otherwise';
      const chosen = branch !== undefined && branch.chose === b.goto;
      const label = chosen
        ? `${cut(condition)}${Object.keys(branch.operands).length ? `\n${cut(operandsText(branch.operands), 80)}` : ''}`
        : cut(condition);
      const style = chosen
        ? 'color="#2e7d32", fontcolor="#2e7d32", penwidth=2'
        : branch
          ? 'style=dashed, color="#afb8c1", fontcolor="#8c959f"'
          : 'style=dashed';
      out.push(`  ${q(id)} -> ${q(b.goto)} [label=${q(label)}, ${style}, class=${q(chosen ? 'branch-chosen' : 'branch')}];`);
    }
  }
  out.push('}');
  return out.join('\n');
}
