// `flow runs` as a table: run id, workflow, status, started, duration, node counts.
import type { NodeStatus } from '../engine/events.js';
import { formatDuration } from '../report/format.js';
import type { RunListEntry } from './list-runs.js';

const countOrder: NodeStatus[] = ['succeeded', 'failed', 'upstream_failed', 'skipped', 'cancelled', 'running', 'retrying', 'queued', 'pending'];

export function formatRunList(runs: readonly RunListEntry[], runsDir: string): string {
  if (runs.length === 0) return `no runs in ${runsDir}\n`;
  const rows = runs.map((r) => [
    r.runId,
    r.workflow,
    r.status,
    r.startedAt ? formatStarted(r.startedAt) : '-',
    r.durationMs === undefined ? '-' : formatDuration(r.durationMs),
    formatCounts(r.counts),
  ]);
  return formatTable(['RUN ID', 'WORKFLOW', 'STATUS', 'STARTED', 'DURATION', 'NODES'], rows);
}

/** `2026-11-26 09:30:00Z`: UTC, so that it reads the same on every machine. */
export function formatStarted(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** `4 succeeded, 1 skipped` in a fixed status order. */
export function formatCounts(counts: Partial<Record<NodeStatus, number>>): string {
  return countOrder.filter((s) => counts[s]).map((s) => `${counts[s]} ${s}`).join(', ') || '-';
}

export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].map((l) => `${l}\n`).join('');
}
