// How the run ended, in one line: `✖ run failed in 9.0s: 3 succeeded, 1 failed`.
import { Text } from 'ink';
import { countStatuses, type RunState } from '../events/run-state.js';
import { formatElapsed } from '../report/format.js';
import { formatCounts, statusStyles } from '../report/status-style.js';

export interface RunStatusLineProps {
  state: RunState;
}

export function RunStatusLine({ state }: RunStatusLineProps) {
  if (state.status === 'running') return null;
  const style = statusStyles[state.status];
  return (
    <Text wrap="truncate-end">
      <Text color={style.color}>{style.icon}</Text> run {state.status} in {formatElapsed(state.durationMs ?? 0)}:{' '}
      {formatCounts(countStatuses(state))}
    </Text>
  );
}
