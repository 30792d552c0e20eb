// A Plan as text: `flow graph --format ascii|mermaid|dot` and `--dry-run`.
import type { EdgeLabel } from './build-plan.js';
import { workflowGraph } from './build-plan.js';
import type { Plan } from './types.js';
import { isDecisionNode } from '../workflow/decision-nodes.js';

export type PlanFormat = 'ascii' | 'mermaid' | 'dot';
export const planFormats: readonly PlanFormat[] = ['ascii', 'mermaid', 'dot'];

interface Edge {
  from: string;
  to: string;
  label: EdgeLabel;
}

function edges(plan: Plan): Edge[] {
  const g = workflowGraph(plan.workflow);
  return plan.order.flatMap((to) => plan.upstream[to]!.map((from) => ({ from, to, label: g.edge(from, to) as EdgeLabel })));
}

const branchText = (l: EdgeLabel): string | undefined =>
  l.kind === 'next' ? (l.when === undefined ? 'otherwise' : `when ${l.when}`) : undefined;

/** Levels by longest path from a root, so that each node sits below everything it waits for. */
function levels(plan: Plan): Map<string, number> {
  const level = new Map<string, number>();
  for (const id of plan.order) level.set(id, Math.max(0, ...plan.upstream[id]!.map((u) => level.get(u)! + 1)));
  return level;
}

function formatAscii(plan: Plan): string {
  const level = levels(plan);
  const byEdge = new Map(edges(plan).map((e) => [`${e.from}\0${e.to}`, e.label]));
  const width = Math.max(...plan.order.map((id) => id.length));
  const lines = [`${plan.workflow.name}: ${plan.order.length} node${plan.order.length === 1 ? '' : 's'}`, ''];
  let current = -1;
  for (const id of [...plan.order].sort((a, b) => level.get(a)! - level.get(b)!)) {
    const n = plan.workflow.nodes[id]!;
    const l = level.get(id)!;
    const prefix = l === current ? ' '.repeat(`[${l + 1}] `.length) : `[${l + 1}] `;
    current = l;
    const from = plan.upstream[id]!.map((u) => {
      const b = branchText(byEdge.get(`${u}\0${id}`)!);
      return b ? `${u} (${b})` : u;
    });
    const extras = [
      ...(isDecisionNode(n) ? ['decision'] : []),
      ...(n.runIf !== 'none_failed_min_one_success' ? [`run_if: ${n.runIf}`] : []),
      ...(n.if ? [`if: ${n.if.source}`] : []),
      ...(n.matrix ? [`matrix: ${Object.keys(n.matrix.axes).join(' × ')}`] : []),
    ];
    const waits = from.length ? ` ← ${from.join(', ')}` : '';
    lines.push(`${prefix}${id.padEnd(width)}${waits}${extras.length ? `  [${extras.join('; ')}]` : ''}`.trimEnd());
  }
  for (const w of plan.warnings) lines.push('', `warning: ${w.message}`);
  return `${lines.join('\n')}\n`;
}

function formatMermaid(plan: Plan): string {
  // Mermaid ids must be simple; labels carry the real node ids.
  const key = new Map(plan.order.map((id, i) => [id, `n${i}`]));
  const text = (s: string): string => `"${s.replaceAll('"', '#quot;')}"`;
  const lines = ['flowchart TD'];
  // A decision node is a rhombus: `{"label"}`.
  for (const id of plan.order) {
    const shape = isDecisionNode(plan.workflow.nodes[id]!) ? ['{', '}'] : ['[', ']'];
    lines.push(`  ${key.get(id)}${shape[0]}${text(id)}${shape[1]}`);
  }
  for (const e of edges(plan)) {
    const b = branchText(e.label);
    lines.push(`  ${key.get(e.from)} ${b ? `-.->|${text(b)}|` : '-->'} ${key.get(e.to)}`);
  }
  return `${lines.join('\n')}\n`;
}

function formatDot(plan: Plan): string {
  const q = (s: string): string => `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
  const lines = [`digraph ${q(plan.workflow.name)} {`, '  rankdir=TB;', '  node [shape=box];'];
  for (const id of plan.order) lines.push(`  ${q(id)}${isDecisionNode(plan.workflow.nodes[id]!) ? ' [shape=diamond]' : ''};`);
  for (const e of edges(plan)) {
    const b = branchText(e.label);
    lines.push(`  ${q(e.from)} -> ${q(e.to)}${b ? ` [label=${q(b)}, style=dashed]` : ''};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

export function formatPlan(plan: Plan, format: PlanFormat): string {
  switch (format) {
    case 'ascii':
      return formatAscii(plan);
    case 'mermaid':
      return formatMermaid(plan);
    case 'dot':
      return formatDot(plan);
  }
}
