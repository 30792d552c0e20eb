// How each node status looks in a terminal: icon, colour and label, shared by plain and Ink.
import type { NodeStatus } from '../events/run-event.js';

/** A colour name both chalk and Ink's <Text color> accept. */
export type StatusColor = 'green' | 'red' | 'yellow' | 'cyan' | 'gray' | 'magenta' | 'blue';

export interface StatusStyle {
  icon: string;
  color: StatusColor;
  /** The status in words (`upstream_failed` → `upstream failed`). */
  label: string;
}

export const statusStyles: Readonly<Record<NodeStatus, StatusStyle>> = {
  pending: { icon: '·', color: 'gray', label: 'pending' },
  queued: { icon: '◦', color: 'gray', label: 'queued' },
  running: { icon: '▶', color: 'cyan', label: 'running' },
  retrying: { icon: '↻', color: 'yellow', label: 'retrying' },
  succeeded: { icon: '✔', color: 'green', label: 'succeeded' },
  failed: { icon: '✖', color: 'red', label: 'failed' },
  skipped: { icon: '↷', color: 'gray', label: 'skipped' },
  upstream_failed: { icon: '⊘', color: 'magenta', label: 'upstream failed' },
  cancelled: { icon: '■', color: 'yellow', label: 'cancelled' },
};

/** Statuses in the order counts are listed. */
export const statusOrder: readonly NodeStatus[] = [
  'succeeded',
  'failed',
  'upstream_failed',
  'skipped',
  'cancelled',
  'running',
  'retrying',
  'queued',
  'pending',
];

/** `4 succeeded, 1 failed, 1 skipped` (statuses with a zero count left out). */
export function formatCounts(counts: Partial<Record<NodeStatus, number>>): string {
  return statusOrder
    .filter((s) => (counts[s] ?? 0) > 0)
    .map((s) => `${counts[s]} ${statusStyles[s].label}`)
    .join(', ');
}
