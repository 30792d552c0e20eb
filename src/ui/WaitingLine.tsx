// One line for the nodes not started yet: queued ones (waiting for a slot) and pending ones.
import { Text } from 'ink';
import type { NodeState } from '../events/run-state.js';

export interface WaitingLineProps {
  nodes: readonly NodeState[];
}

export function WaitingLine({ nodes }: WaitingLineProps) {
  const queued = nodes.filter((n) => n.status === 'queued').map((n) => n.id);
  const pending = nodes.filter((n) => n.status === 'pending').map((n) => n.id);
  if (queued.length === 0 && pending.length === 0) return null;
  const parts = [
    queued.length > 0 ? `${queued.length} queued (${queued.join(', ')})` : '',
    pending.length > 0 ? `${pending.length} pending (${pending.join(', ')})` : '',
  ].filter(Boolean);
  return (
    <Text dimColor wrap="truncate-end">
      ◦ {parts.join(' · ')}
    </Text>
  );
}
