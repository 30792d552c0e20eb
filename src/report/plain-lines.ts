// The plain reporter's words: one RunEvent (and the state after it) → the lines to print.
import type { ChalkInstance } from 'chalk';
import type { RunEvent } from '../events/run-event.js';
import type { NodeState, RunState } from '../events/run-state.js';
import { describeBranch, describeError, formatClock, formatElapsed, sanitizeTerminalText } from './format.js';
import { describeOutcome } from './outcome.js';
import { formatCounts, statusStyles } from './status-style.js';
import { layoutTable, summaryRows } from './summary.js';
import { formatDuration } from '../workflow/duration.js';

export interface PlainLineOptions {
  paint: ChalkInstance;
  verbose: boolean;
  /** Timestamps in UTC instead of local time (tests, servers in another zone). */
  utc: boolean;
}

/** `node`, or `node[i]` for a matrix instance. */
export function nodeLabel(node: string, instance?: number): string {
  return instance === undefined ? node : `${node}[${instance}]`;
}

function nodeState(state: RunState, node: string, instance?: number): NodeState | undefined {
  const n = state.nodes[node];
  return instance === undefined ? n : n?.instances?.[instance];
}

function attemptOf(attempt: number, max: number | undefined): string {
  return `attempt ${attempt}/${max ?? attempt}`;
}

/** Lines for one event; `state` is the run state with this event already applied. */
export function formatPlainEvent(ev: RunEvent, state: RunState, o: PlainLineOptions): string[] {
  const p = o.paint;
  const ts = `${p.dim(formatClock(ev.at, o.utc))} `;
  const icon = (s: keyof typeof statusStyles) => p[statusStyles[s].color](statusStyles[s].icon);
  switch (ev.type) {
    case 'run_started': {
      const resumed = ev.resumedFrom ? `, resuming ${ev.resumedFrom}` : '';
      return [`${ts}${p.bold(ev.workflow)} run ${ev.runId} started (${ev.nodes.length} nodes${resumed}) in ${ev.runDir}`];
    }
    case 'node_started':
      return [`${ts}${icon('running')} ${nodeLabel(ev.node, ev.instance)} started (${attemptOf(ev.attempt, ev.maxAttempts)})`];
    case 'attempt_failed': {
      if (ev.retryInMs === undefined) return []; // node_finished says it, once.
      const n = nodeState(state, ev.node, ev.instance);
      return [
        `${ts}${icon('retrying')} ${nodeLabel(ev.node, ev.instance)} ${attemptOf(ev.attempt, n?.maxAttempts)} failed: ` +
          `${describeError(ev.error)} — retrying in ${formatDuration(ev.retryInMs)}`,
      ];
    }
    case 'branch_decided':
      return [`${ts}${p.blue('→')} ${describeBranch({ ...ev, by: nodeLabel(ev.node, ev.instance) })}`];
    case 'node_finished':
      return finishedLines(ev, nodeState(state, ev.node, ev.instance), ts, o);
    case 'log': {
      if (ev.level === 'info' && !o.verbose) return [];
      const mark = ev.level === 'error' ? p.red('✖') : ev.level === 'warn' ? p.yellow('⚠') : p.blue('ℹ');
      return [`${ts}${mark} ${ev.node ? `${ev.node}: ` : ''}${ev.message}`];
    }
    case 'run_finished': {
      const rows = summaryRows(state);
      const table = layoutTable(rows);
      const line = (cells: string[]) => cells.join('  ').trimEnd();
      const style = statusStyles[ev.status];
      return [
        '',
        p.bold(line(table.header)),
        ...table.rows.map((cells, i) => {
          const s = statusStyles[rows[i].status];
          return line([cells[0], p[s.color](cells[1]), ...cells.slice(2)]);
        }),
        '',
        `${p[style.color](style.icon)} run ${ev.status} in ${formatElapsed(ev.durationMs)}: ${formatCounts(ev.counts)}`,
        `run directory: ${state.runDir}`,
      ];
    }
    default:
      // node_queued and cell progress are too noisy for a log; the live view shows them.
      return [];
  }
}

type Finished = Extract<RunEvent, { type: 'node_finished' }>;

function finishedLines(ev: Finished, n: NodeState | undefined, ts: string, o: PlainLineOptions): string[] {
  const p = o.paint;
  const s = statusStyles[ev.status];
  const lines = [`${ts}${p[s.color](s.icon)} ${nodeLabel(ev.node, ev.instance)} ${n ? describeOutcome(n) : ev.status}`];
  if (ev.status !== 'failed' || !n || n.instances) return lines;
  const indent = ' '.repeat(9); // under the text, past the timestamp
  if (n.notebookPath) lines.push(`${indent}notebook: ${n.notebookPath}`);
  const traceback = n.error?.traceback ?? [];
  if (o.verbose && traceback.length > 0) {
    const tb = traceback.join('\n').replace(/\r\n?/g, '\n');
    for (const l of tb.split('\n')) lines.push(`${indent}${sanitizeTerminalText(l, p.level > 0)}`);
  }
  return lines;
}
