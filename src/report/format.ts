// Words for run facts (durations, values, skip reasons, branch decisions, errors), shared by every reporter.
import { stripVTControlCharacters } from 'node:util';
import type { BranchDecision, NodeError, SkipReason } from '../events/run-event.js';

/**
 * How long something took, for people: `340ms`, `2.1s`, `1m 05s`, `2h 03m` (a configured
 * duration, exactly: workflow/duration.ts's formatDuration).
 * Tenths of a second below a minute: a notebook's run time is usually seconds.
 */
export function formatElapsed(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const tenths = Math.round(ms / 100) / 10;
  if (tenths < 60) return `${tenths.toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${pad2(seconds % 60)}s`;
  const minutes = Math.round(ms / 60_000);
  return `${Math.floor(minutes / 60)}h ${pad2(minutes % 60)}m`;
}

/** Whole seconds left, rounded up (a countdown never shows 0s while still waiting). */
export function formatCountdown(ms: number): string {
  return `${Math.max(0, Math.ceil(ms / 1000))}s`;
}

/** `HH:MM:SS` of an ISO timestamp, in local time unless utc. */
export function formatClock(iso: string, utc = false): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '--:--:--';
  const [h, m, s] = utc ? [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()] : [d.getHours(), d.getMinutes(), d.getSeconds()];
  return `${pad2(h)}:${pad2(m)}:${pad2(s)}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** JSON.stringify that survives CEL's BigInt integers (as numbers when exact, else strings). */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  return value;
}

/** A value as a short literal: strings quoted, long values cut with an ellipsis. */
export function formatValue(value: unknown, max = 40): string {
  let text: string;
  if (value === undefined) text = 'null';
  else if (typeof value === 'bigint') text = value.toString();
  else if (typeof value === 'number' && !Number.isFinite(value)) text = String(value);
  else text = JSON.stringify(value, jsonReplacer) ?? String(value);
  return truncate(text, max);
}

/** Cuts text to at most max characters, ending in '…' when cut. */
export function truncate(text: string, max: number): string {
  if (max <= 0) return '';
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** `a=1, b="x"`: the values an expression read. */
export function formatOperands(operands: Record<string, unknown>): string {
  return Object.entries(operands)
    .map(([k, v]) => `${k}=${formatValue(v)}`)
    .join(', ');
}

function withOperands(text: string, operands: Record<string, unknown>): string {
  const ops = formatOperands(operands);
  return ops ? `${text} (${ops})` : text;
}

/**
 * `validate chose build_xml because outputs.errors > 0 was false (outputs.errors=0)`.
 * Without `rejected` (the conditions tried first), an `otherwise` choice can only say so.
 */
export function describeBranch(d: BranchDecision & { by: string }): string {
  const conditions = (d.rejected ?? []).map((e) => `${e} was false`);
  if (d.because !== 'otherwise' && d.because !== '') conditions.push(`${d.because} was true`);
  const head = d.chose === null ? `${d.by} took no branch` : `${d.by} chose ${d.chose}`;
  const why =
    conditions.length > 0
      ? ` because ${conditions.join(' and ')}`
      : d.because === 'otherwise' && d.chose !== null
        ? ' as no condition held'
        : '';
  return withOperands(head + why, d.operands);
}

/** A skip reason in words, e.g. `branch not taken — validate chose build_xml because …`. */
export function describeSkip(skip: SkipReason): string {
  switch (skip.kind) {
    case 'condition_false':
      return withOperands(`condition ${skip.expression} was false`, skip.operands);
    case 'branch_not_taken':
      return `branch not taken — ${describeBranch(skip)}`;
    case 'upstream_skipped':
      return `every upstream node was skipped (${skip.upstream.join(', ')})`;
    case 'upstream_failed':
      return `upstream failed: ${skip.upstream.join(', ')}`;
    case 'trigger_rule': {
      const upstream = Object.entries(skip.upstream)
        .map(([id, status]) => `${id}=${status}`)
        .join(', ');
      return `run_if ${skip.rule} not met${upstream ? ` (${upstream})` : ''}`;
    }
  }
}

/**
 * Where and what failed: `cell 4 (In [3]): ValueError: bad row`, or `timeout: …`.
 * Cells are shown 1-based, as in `cell i/n`; events carry the 0-based index.
 */
export function describeError(error: NodeError): string {
  const where =
    error.cell === undefined ? '' : `cell ${error.cell + 1}${error.executionCount != null ? ` (In [${error.executionCount}])` : ''}: `;
  const what = error.ename ? (error.evalue ? `${error.ename}: ${error.evalue}` : error.ename) : `${error.errorClass}: ${error.message}`;
  return `${where}${what}`;
}

/**
 * Notebook text made safe for a log line: ANSI escapes removed unless kept for colour, and
 * other control characters (BEL, backspace, a stray ESC) dropped; tabs stay.
 */
export function sanitizeTerminalText(text: string, keepAnsi = false): string {
  const visible = keepAnsi ? text : stripVTControlCharacters(text);
  return visible.replace(keepAnsi ? /[\u0000-\u0008\u000b-\u001a\u001c-\u001f\u007f]/g : /[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}
