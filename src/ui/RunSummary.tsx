// The end of a run: the summary table, how the run ended, and where its record is.
import { Box, Text } from 'ink';
import { countStatuses, type RunState } from '../engine/run-state.js';
import { formatDuration } from '../report/format.js';
import { formatCounts, statusStyles } from '../report/status-style.js';
import { SummaryTable } from './SummaryTable.js';

export interface RunSummaryProps {
  state: RunState;
  columns: number;
}

export function RunSummary({ state, columns }: RunSummaryProps) {
  if (state.status === 'running') return null;
  const style = statusStyles[state.status];
  return (
    <Box flexDirection="column" marginTop={1}>
      <SummaryTable state={state} columns={columns} />
      <Box marginTop={1}>
        <Text wrap="truncate-end">
          <Text color={style.color}>{style.icon}</Text> run {state.status} in {formatDuration(state.durationMs ?? 0)}:{' '}
          {formatCounts(countStatuses(state))}
        </Text>
      </Box>
      {/* Never cut: the path is what people copy to open the record. */}
      <Text>run directory: {state.runDir}</Text>
    </Box>
  );
}
