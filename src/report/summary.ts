// The end-of-run summary table (node, status, duration, attempts, key outputs) as plain data.
import type { NodeStatus } from '../events/run-event.js';
import type { NodeState, RunState } from '../events/run-state.js';
import { formatElapsed, formatValue, truncate } from './format.js';
import { statusStyles } from './status-style.js';

export interface SummaryRow {
  /** `node`, or `node[i]` for a matrix instance. */
  name: string;
  status: NodeStatus;
  cells: [name: string, status: string, duration: string, attempts: string, outputs: string];
}

export const summaryHeader = ['NODE', 'STATUS', 'DURATION', 'ATTEMPTS', 'OUTPUTS'] as const;

/** `rows=120, path="out/students.csv"`, cut to max characters. */
export function formatKeyOutputs(outputs: Record<string, unknown> | undefined, max = 60): string {
  if (!outputs) return '';
  const text = Object.entries(outputs)
    .map(([k, v]) => `${k}=${formatValue(v, 30)}`)
    .join(', ');
  return truncate(text, max);
}

function attemptsCell(n: NodeState): string {
  if (n.attempts.length === 0) return '-';
  return n.maxAttempts && n.maxAttempts > 1 ? `${n.attempts.length}/${n.maxAttempts}` : String(n.attempts.length);
}

function durationCell(n: NodeState): string {
  if (n.reused) return 'reused';
  // A matrix node has no attempts of its own, only its instances'.
  const ran = n.attempts.length > 0 || (n.instances !== undefined && n.durationMs !== undefined);
  return n.durationMs === undefined || !ran ? '-' : formatElapsed(n.durationMs);
}

function row(name: string, n: NodeState): SummaryRow {
  return {
    name,
    status: n.status,
    cells: [name, statusStyles[n.status].label, durationCell(n), attemptsCell(n), formatKeyOutputs(n.outputs)],
  };
}

/** One row per node in plan order; a matrix node is followed by one row per instance. */
export function summaryRows(state: RunState): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const n of Object.values(state.nodes)) {
    rows.push(row(n.id, n));
    for (const [i, inst] of (n.instances ?? []).entries()) if (inst) rows.push(row(`${n.id}[${i}]`, inst));
  }
  return rows;
}

/**
 * Pads every cell to its column's width; the last column is cut so that a line fits in
 * maxWidth (two spaces between columns).
 */
export function layoutTable(rows: SummaryRow[], maxWidth = Infinity): { header: string[]; rows: string[][] } {
  const all = [[...summaryHeader] as string[], ...rows.map((r) => [...r.cells] as string[])];
  const widths = summaryHeader.map((_, c) => Math.max(...all.map((cells) => cells[c].length)));
  const fixed = widths.slice(0, -1).reduce((a, w) => a + w + 2, 0);
  const last = Math.max(0, Math.min(widths[widths.length - 1], maxWidth - fixed));
  const pad = (cells: string[]) => cells.map((cell, c) => (c === cells.length - 1 ? truncate(cell, last) : cell.padEnd(widths[c])));
  const [header, ...body] = all.map(pad);
  return { header, rows: body };
}
