// The live view: a pure function of RunState (plus the clock and a spinner frame).
import { Box, Static, Text } from 'ink';
import { terminalStatuses } from '../events/run-event.js';
import type { RunState } from '../events/run-state.js';
import { ActiveNode } from './ActiveNode.js';
import { FinishedNode } from './FinishedNode.js';
import { fitLiveArea } from './fit-live-area.js';
import { Header } from './Header.js';
import { LogLine } from './LogLine.js';
import { RunStatusLine } from './RunStatusLine.js';
import { RunSummary } from './RunSummary.js';
import { SummaryTable } from './SummaryTable.js';
import { useStaticItems } from './use-static-items.js';
import { useTerminalSize } from './use-terminal-width.js';
import { WaitingLine } from './WaitingLine.js';

export interface AppProps {
  state: RunState;
  /** Show the last lines each running cell printed. @default false */
  verbose?: boolean;
  /** Epoch ms: elapsed times and retry countdowns are computed against it. */
  now: number;
  /** Spinner frame; the caller advances it. */
  frame: number;
  /**
   * Where the end of the run goes. `frame`: the summary table, status line and run directory
   * in the redrawn frame. `scrollback` (the live reporter): the table is written once into
   * <Static>, so that a table taller than the terminal cannot make Ink clear the screen, and the
   * frame keeps only the status line; the caller prints the run directory after Ink lets go.
   * @default 'frame'
   */
  endLayout?: 'frame' | 'scrollback';
}

export function App({ state, verbose = false, now, frame, endLayout = 'frame' }: AppProps) {
  const { columns, rows } = useTerminalSize();
  const ended = state.status !== 'running';
  const scrollback = endLayout === 'scrollback';
  const items = useStaticItems(state, scrollback);
  const nodes = Object.values(state.nodes);
  const active = nodes.filter((n) => n.status === 'running' || n.status === 'retrying');
  const waiting = nodes.filter((n) => n.status === 'queued' || n.status === 'pending');
  const fit = fitLiveArea(active, rows, 2 + (waiting.length > 0 ? 1 : 0), verbose);
  const nameWidth = Math.min(Math.max(0, ...fit.shown.map((n) => n.id.length)), Math.floor(columns / 3));
  return (
    <Box flexDirection="column" width={columns}>
      {/* Finished nodes scroll up once and stay readable; only the live area below redraws. */}
      <Static items={items}>
        {(item) =>
          item.kind === 'node' ? (
            <FinishedNode key={`n:${item.id}`} node={state.nodes[item.id]} label={item.id} />
          ) : item.kind === 'log' ? (
            <LogLine key={`l:${item.index}`} {...state.logs[item.index]} />
          ) : (
            <Box key="summary" flexDirection="column" marginTop={1}>
              <SummaryTable state={state} columns={columns} />
            </Box>
          )
        }
      </Static>
      {ended && scrollback ? null : <Header state={state} now={now} />}
      {fit.shown.map((n) => (
        <ActiveNode
          key={n.id}
          node={n}
          label={n.id}
          nameWidth={nameWidth}
          columns={columns}
          now={now}
          frame={frame}
          verbose={verbose}
          tailLines={fit.tailLines}
        />
      ))}
      {fit.hidden.length > 0 ? (
        <Text dimColor wrap="truncate-end">
          + {fit.hidden.length} more running ({fit.hidden.map((n) => n.id).join(', ')})
        </Text>
      ) : null}
      {!ended ? (
        <WaitingLine nodes={nodes.filter((n) => !terminalStatuses.has(n.status))} />
      ) : scrollback ? (
        <Box marginTop={1}>
          <RunStatusLine state={state} />
        </Box>
      ) : (
        <RunSummary state={state} columns={columns} />
      )}
    </Box>
  );
}
