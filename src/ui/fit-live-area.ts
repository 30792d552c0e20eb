// How much of the running nodes the live area can show without reaching the terminal's height.
import type { NodeState } from '../events/run-state.js';

/** The most output lines shown under a running node (verbose); the run state keeps as many. */
export const MAX_TAIL_LINES = 5;

export interface LiveAreaFit {
  /** Running nodes given a line (with their running instances), in plan order. */
  shown: NodeState[];
  /** Running nodes left out, summed up in one line. */
  hidden: NodeState[];
  /** Output lines under each shown node (verbose). */
  tailLines: number;
}

function instanceLines(n: NodeState): number {
  return (n.instances ?? []).filter((i) => i && (i.status === 'running' || i.status === 'retrying')).length;
}

/**
 * Once Ink's frame is as tall as the terminal, Ink clears the whole screen and its scrollback
 * (ESC[3J) and reprints everything on every frame: the screen flickers and the history above is
 * lost. So the frame stays at most rows - 1 lines: output tails shrink first, then running nodes
 * beyond the budget collapse into one "more running" line.
 * @param fixed lines the frame needs besides the running nodes (header, waiting line)
 */
export function fitLiveArea(active: NodeState[], rows: number, fixed: number, verbose: boolean): LiveAreaFit {
  const withTail = verbose ? active.filter((n) => !n.instances && n.lastOutput.length > 0).length : 0;
  if (!Number.isFinite(rows)) return { shown: active, hidden: [], tailLines: verbose ? MAX_TAIL_LINES : 0 };
  const budget = Math.max(1, rows - 1 - fixed);
  const base = active.reduce((sum, n) => sum + 1 + instanceLines(n), 0);
  if (base <= budget) {
    const tailLines = withTail > 0 ? Math.min(MAX_TAIL_LINES, Math.floor((budget - base) / withTail)) : 0;
    return { shown: active, hidden: [], tailLines };
  }
  // One line is kept for "N more running".
  const shown: NodeState[] = [];
  let used = 1;
  for (const n of active) {
    const cost = 1 + instanceLines(n);
    if (used + cost > budget) break;
    shown.push(n);
    used += cost;
  }
  return { shown, hidden: active.slice(shown.length), tailLines: 0 };
}
