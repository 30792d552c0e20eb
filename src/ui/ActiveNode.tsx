// One running or retrying node: spinner, cell i/n with a bar, elapsed, attempt n/m, retry countdown.
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { terminalStatuses } from '../events/run-event.js';
import type { NodeState } from '../events/run-state.js';
import { describeError, formatCountdown, formatElapsed, truncate } from '../report/format.js';
import { statusStyles } from '../report/status-style.js';
import { MAX_TAIL_LINES } from './fit-live-area.js';
import { OutputTail } from './OutputTail.js';
import { ProgressBar } from './ProgressBar.js';
import { Spinner } from './Spinner.js';

export interface ActiveNodeProps {
  node: NodeState;
  /** `node` or `node[i]`. */
  label: string;
  /** Names are padded to this width so that columns line up. */
  nameWidth: number;
  columns: number;
  now: number;
  frame: number;
  verbose: boolean;
  /** @default 0 */
  indent?: number;
  /** Output lines shown under the node when verbose (fewer on a short terminal). @default 5 */
  tailLines?: number;
}

/** Bar length by terminal width: the line must still fit at 60 columns. */
export function barWidth(columns: number): number {
  if (columns >= 100) return 20;
  if (columns >= 80) return 12;
  if (columns >= 50) return 6;
  return 0;
}

export function ActiveNode(props: ActiveNodeProps) {
  const { node, now, frame, columns, verbose, indent = 0, tailLines = MAX_TAIL_LINES } = props;
  const name = truncate(props.label, props.nameWidth).padEnd(props.nameWidth);
  const attempt = node.attempts.length;
  const attempts = node.maxAttempts && node.maxAttempts > 1 ? `attempt ${attempt}/${node.maxAttempts}` : '';
  const pad = ' '.repeat(indent);

  if (node.status === 'retrying') {
    const style = statusStyles.retrying;
    // The countdown comes first: the error may be cut at the terminal's edge, the wait must not.
    const countdown = node.retryAt === undefined ? 'retrying' : `retry in ${formatCountdown(node.retryAt - now)}`;
    return (
      <Text wrap="truncate-end">
        {pad}
        <Text color={style.color}>{style.icon}</Text> {name} <Text color={style.color}>{countdown}</Text>
        {' · '}
        {attempts || `attempt ${attempt}`} failed{node.error ? `: ${describeError(node.error)}` : ''}
      </Text>
    );
  }

  const elapsed = node.startedAt ? formatElapsed(Math.max(0, now - Date.parse(node.startedAt))) : '';
  const instances = node.instances?.filter(Boolean) ?? [];
  const active = instances.filter((i) => i.status === 'running' || i.status === 'retrying');
  const instanceWidth = Math.min(`${node.id}[${instances.length - 1}]`.length, Math.floor(columns / 3));
  const bar = barWidth(columns);
  let progress: ReactNode;
  if (node.instances) {
    const done = instances.filter((i) => terminalStatuses.has(i.status)).length;
    progress = (
      <Text>
        {done}/{node.instances.length} instances{bar > 0 ? ' ' : ''}
        <ProgressBar done={done} total={node.instances.length} width={bar} />
      </Text>
    );
  } else if (node.totalCells !== undefined) {
    const current = Math.min(node.totalCells, (node.cell ?? 0) + 1);
    progress = (
      <Text>
        cell {current}/{node.totalCells}
        {bar > 0 ? ' ' : ''}
        <ProgressBar done={node.cellsDone ?? 0} total={node.totalCells} width={bar} />
      </Text>
    );
  } else {
    progress = <Text dimColor>{node.decision ? 'deciding' : 'starting kernel'}</Text>;
  }
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        {pad}
        <Spinner frame={frame} /> {name} {progress} <Text dimColor>{elapsed}</Text>
        {attempts ? `  ${attempts}` : ''}
      </Text>
      {active.map((inst) => {
        const index = node.instances!.indexOf(inst);
        return (
          <ActiveNode key={index} {...props} node={inst} label={`${node.id}[${index}]`} indent={indent + 2} nameWidth={instanceWidth} />
        );
      })}
      {verbose && !node.instances && tailLines > 0 ? <OutputTail lines={node.lastOutput.slice(-tailLines)} indent={indent + 2} /> : null}
    </Box>
  );
}
