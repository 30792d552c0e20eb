// A finished node's one line (written once, into <Static>): how it ended, its key outputs or why.
import { Box, Text } from 'ink';
import type { NodeState } from '../events/run-state.js';
import { describeBranch } from '../report/format.js';
import { describeOutcome } from '../report/outcome.js';
import { statusStyles } from '../report/status-style.js';
import { formatKeyOutputs } from '../report/summary.js';

export interface FinishedNodeProps {
  node: NodeState;
  /** `node` or `node[i]`. */
  label: string;
  /** @default 0 */
  indent?: number;
}

export function FinishedNode({ node, label, indent = 0 }: FinishedNodeProps) {
  const style = statusStyles[node.status];
  const outputs = node.status === 'succeeded' ? formatKeyOutputs(node.outputs) : '';
  // A decision node's outcome is its choice (a notebook node's shows in its skipped branch).
  const decision = node.decision && node.branch ? describeBranch({ by: '→', ...node.branch }) : '';
  const pad = ' '.repeat(indent);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        {pad}
        <Text color={style.color}>{style.icon}</Text> <Text bold>{label}</Text> {describeOutcome(node)}
        {outputs ? <Text dimColor>{`  ${outputs}`}</Text> : null}
        {decision ? <Text dimColor>{`  ${decision}`}</Text> : null}
      </Text>
      {node.status === 'failed' && node.notebookPath && !node.instances ? (
        <Text dimColor wrap="truncate-end">
          {pad}
          {'  '}notebook: {node.notebookPath}
        </Text>
      ) : null}
      {(node.instances ?? []).map((inst, i) =>
        inst ? <FinishedNode key={i} node={inst} label={`${node.id}[${i}]`} indent={indent + 2} /> : null,
      )}
    </Box>
  );
}
