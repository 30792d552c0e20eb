// The items the live view moves into Ink's <Static>: finished nodes and warnings, append-only.
import { useRef } from 'react';
import { terminalStatuses } from '../events/run-event.js';
import type { RunState } from '../events/run-state.js';

export type StaticItem = { kind: 'node'; id: string } | { kind: 'log'; index: number } | { kind: 'summary' };

/**
 * <Static> prints each item once, by position, so the list may only grow: a node is appended
 * when first seen finished (order of finishing, not of the plan), a warn/error log when first seen,
 * and, when `summary` is asked for and the run has ended, the summary table last.
 */
export function useStaticItems(state: RunState, summary = false): StaticItem[] {
  const ref = useRef<{ items: StaticItem[]; nodes: Set<string>; logs: number; summary: boolean }>({
    items: [],
    nodes: new Set(),
    logs: 0,
    summary: false,
  });
  const seen = ref.current;
  const added: StaticItem[] = [];
  for (let i = seen.logs; i < state.logs.length; i++) {
    if (state.logs[i].level !== 'info') added.push({ kind: 'log', index: i });
  }
  seen.logs = state.logs.length;
  for (const n of Object.values(state.nodes)) {
    if (terminalStatuses.has(n.status) && !seen.nodes.has(n.id)) {
      seen.nodes.add(n.id);
      added.push({ kind: 'node', id: n.id });
    }
  }
  if (summary && state.status !== 'running' && !seen.summary) {
    seen.summary = true;
    added.push({ kind: 'summary' });
  }
  if (added.length > 0) seen.items = [...seen.items, ...added];
  return seen.items;
}
