// The end-of-run table: node, status, duration, attempts, key outputs; cut to the terminal width.
import { Box, Text } from 'ink';
import type { RunState } from '../events/run-state.js';
import { statusStyles } from '../report/status-style.js';
import { layoutTable, summaryRows } from '../report/summary.js';

export interface SummaryTableProps {
  state: RunState;
  columns: number;
}

export function SummaryTable({ state, columns }: SummaryTableProps) {
  const rows = summaryRows(state);
  const table = layoutTable(rows, columns);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {table.header.join('  ').trimEnd()}
      </Text>
      {table.rows.map((cells, i) => (
        <Text key={rows[i].name} wrap="truncate-end">
          {cells[0]}
          {'  '}
          <Text color={statusStyles[rows[i].status].color}>{cells[1]}</Text>
          {'  '}
          {cells.slice(2).join('  ').trimEnd()}
        </Text>
      ))}
    </Box>
  );
}
