// The end of a run: the summary table, how the run ended, and where its record is.
import { Box, Text } from 'ink';
import type { RunState } from '../events/run-state.js';
import { RunStatusLine } from './RunStatusLine.js';
import { SummaryTable } from './SummaryTable.js';

export interface RunSummaryProps {
  state: RunState;
  columns: number;
}

export function RunSummary({ state, columns }: RunSummaryProps) {
  if (state.status === 'running') return null;
  return (
    <Box flexDirection="column" marginTop={1}>
      <SummaryTable state={state} columns={columns} />
      <Box marginTop={1}>
        <RunStatusLine state={state} />
      </Box>
      {/* Never cut: the path is what people copy to open the record. */}
      <Text>run directory: {state.runDir}</Text>
    </Box>
  );
}
