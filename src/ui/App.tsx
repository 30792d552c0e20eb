// The live view: a pure function of RunState (plus the clock and a spinner frame).
import { Box, Static } from 'ink';
import { terminalStatuses } from '../engine/events.js';
import type { RunState } from '../engine/run-state.js';
import { ActiveNode } from './ActiveNode.js';
import { FinishedNode } from './FinishedNode.js';
import { Header } from './Header.js';
import { LogLine } from './LogLine.js';
import { RunSummary } from './RunSummary.js';
import { useStaticItems } from './use-static-items.js';
import { useTerminalWidth } from './use-terminal-width.js';
import { WaitingLine } from './WaitingLine.js';

export interface AppProps {
  state: RunState;
  /** Show the last lines each running cell printed. @default false */
  verbose?: boolean;
  /** Epoch ms: elapsed times and retry countdowns are computed against it. */
  now: number;
  /** Spinner frame; the caller advances it. */
  frame: number;
}

export function App({ state, verbose = false, now, frame }: AppProps) {
  const columns = useTerminalWidth();
  const items = useStaticItems(state);
  const nodes = Object.values(state.nodes);
  const active = nodes.filter((n) => n.status === 'running' || n.status === 'retrying');
  const nameWidth = Math.min(Math.max(0, ...active.map((n) => n.id.length)), Math.floor(columns / 3));
  return (
    <Box flexDirection="column" width={columns}>
      {/* Finished nodes scroll up once and stay readable; only the live area below redraws. */}
      <Static items={items}>
        {(item) =>
          item.kind === 'node' ? (
            <FinishedNode key={`n:${item.id}`} node={state.nodes[item.id]} label={item.id} />
          ) : (
            <LogLine key={`l:${item.index}`} {...state.logs[item.index]} />
          )
        }
      </Static>
      <Header state={state} now={now} />
      {active.map((n) => (
        <ActiveNode
          key={n.id}
          node={n}
          label={n.id}
          nameWidth={nameWidth}
          columns={columns}
          now={now}
          frame={frame}
          verbose={verbose}
        />
      ))}
      {state.status === 'running' ? (
        <WaitingLine nodes={nodes.filter((n) => !terminalStatuses.has(n.status))} />
      ) : (
        <RunSummary state={state} columns={columns} />
      )}
    </Box>
  );
}
