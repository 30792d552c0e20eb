// The live view's header: workflow, run id, elapsed time, and node counts by status.
import { Box, Text } from 'ink';
import { countStatuses, type RunState } from '../events/run-state.js';
import { formatElapsed } from '../report/format.js';
import { statusOrder, statusStyles } from '../report/status-style.js';

export interface HeaderProps {
  state: RunState;
  /** Epoch ms, for the elapsed time. */
  now: number;
}

export function Header({ state, now }: HeaderProps) {
  if (!state.runId) return <Text dimColor>starting…</Text>;
  const elapsed = state.durationMs ?? now - Date.parse(state.startedAt);
  const counts = countStatuses(state);
  const shown = statusOrder.filter((s) => (counts[s] ?? 0) > 0);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>{state.workflow}</Text>
        <Text dimColor>
          {' · '}run {state.runId}
          {state.resumedFrom ? ` (resuming ${state.resumedFrom})` : ''}
          {' · '}
          {formatElapsed(Math.max(0, elapsed))}
        </Text>
      </Text>
      <Text wrap="truncate-end">
        {shown.map((s, i) => (
          <Text key={s}>
            {i > 0 ? ' · ' : ''}
            <Text color={statusStyles[s].color}>
              {counts[s]} {statusStyles[s].label}
            </Text>
          </Text>
        ))}
      </Text>
    </Box>
  );
}
