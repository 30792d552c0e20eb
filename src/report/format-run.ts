// `flow show RUN`: a run's facts and each node's status, why it was skipped, outputs, notebook, error.
import { describeBranch, describeError, describeSkip, formatElapsed, formatValue, truncate } from './format.js';
import { formatCounts } from './status-style.js';
import type { NodeState } from '../events/run-state.js';
import { abandonedHint, formatStarted } from './format-run-list.js';
import { runIsAbandoned } from '../ledger/read-run.js';
import type { RunRecord } from '../ledger/run-record.js';
import { countStatuses } from '../events/run-state.js';

/** Values on one line up to this width; longer, one value a line. */
const LINE_WIDTH = 100;
/**
 * `flow show` is where paths are read in full, so values are never cut, except a dict or list
 * past this length (a whole table as an output): `--json` prints it whole.
 */
const MAX_STRUCTURED_LENGTH = 500;

export function formatRun(run: RunRecord): string {
  const out: string[] = [];
  const abandoned = runIsAbandoned(run);
  const exit = run.exitCode === undefined ? '' : ` (exit ${run.exitCode})`;
  out.push(`run ${run.runId}  ${run.workflow}  ${abandoned ? 'abandoned' : run.status}${exit}`);
  if (abandoned) out.push(abandonedHint(run.runId));
  out.push(`workflow  ${run.workflowFile}${run.workflowHash ? `  sha256 ${run.workflowHash.slice(0, 12)}` : ''}`);
  out.push(...formatFields('params    ', ' ', run.params));
  const duration = run.durationMs === undefined ? '' : `  took ${formatElapsed(run.durationMs)}`;
  out.push(`started   ${run.startedAt ? formatStarted(run.startedAt) : '-'}${duration}`);
  if (run.resumedFrom) out.push(`resumes   ${run.resumedFrom}`);
  if (run.trigger && run.trigger !== 'manual') {
    out.push(
      `trigger   ${run.trigger}${run.logicalDate ? ` for ${formatStarted(run.logicalDate)}` : ''}${run.lineageId && run.lineageId !== run.runId ? `  lineage ${run.lineageId}` : ''}`,
    );
  }
  out.push(`dir       ${run.runDir}`);
  out.push(`nodes     ${formatCounts(countStatuses(run)) || '-'}`);
  out.push('');
  const width = Math.max(4, ...Object.keys(run.nodes).map((id) => id.length));
  for (const node of Object.values(run.nodes)) out.push(...formatNode(node, width));
  return `${out.join('\n')}\n`;
}

/** The status line, then indented detail lines. */
export function formatNode(n: NodeState, width: number): string[] {
  const attempts = n.attempts.length > 1 ? `  ${n.attempts.length} attempts` : '';
  const took = n.durationMs ? `  ${formatElapsed(n.durationMs)}` : '';
  const flags = [n.decision ? 'decision node' : '', n.reused ? 'reused' : '', n.continueOnError ? 'continue_on_error' : ''].filter(Boolean);
  const lines = [`${n.id.padEnd(width)}  ${n.status}${took}${attempts}${flags.length ? `  (${flags.join(', ')})` : ''}`];
  const pad = ' '.repeat(width + 2);
  if (n.skip) lines.push(`${pad}why: ${describeSkip(n.skip)}`);
  if (n.branch) lines.push(`${pad}next: ${describeBranch({ by: n.id, ...n.branch })}`);
  if (n.outputs && Object.keys(n.outputs).length > 0) lines.push(...formatFields(`${pad}outputs: `, ', ', n.outputs));
  if (n.error) lines.push(`${pad}error: ${describeError(n.error)}`);
  for (const a of n.attempts.slice(0, -1)) {
    lines.push(
      `${pad}attempt ${a.attempt}: ${a.error ? describeError(a.error) : 'no error recorded'}${a.notebookPath ? `  ${a.notebookPath}` : ''}`,
    );
  }
  if (n.notebookPath) lines.push(`${pad}notebook: ${n.notebookPath}`);
  for (const [i, inst] of (n.instances ?? []).entries()) {
    if (!inst) continue;
    const err = inst.error ? `  ${describeError(inst.error)}` : '';
    const params = inst.params ? `  ${fields(inst.params).join(', ')}` : '';
    lines.push(`${pad}[${i}] ${inst.status}${params}${err}${inst.notebookPath ? `  ${inst.notebookPath}` : ''}`);
  }
  return lines;
}

/**
 * `head` then `k=v` items on one line when that fits in LINE_WIDTH, else one item a line,
 * aligned under the first (so that each path can be read and copied whole).
 */
function formatFields(head: string, separator: string, values: Record<string, unknown>): string[] {
  const items = fields(values);
  if (items.length === 0) return [`${head}-`];
  const line = `${head}${items.join(separator)}`;
  if (line.length <= LINE_WIDTH) return [line];
  const indent = ' '.repeat(head.length);
  return items.map((item, i) => `${i === 0 ? head : indent}${item}`);
}

function fields(values: Record<string, unknown>): string[] {
  return Object.entries(values).map(([k, v]) => `${k}=${fullValue(v)}`);
}

/** A value in full; only a dict or list past MAX_STRUCTURED_LENGTH is cut, saying so. */
function fullValue(value: unknown): string {
  const text = formatValue(value, Infinity);
  if (typeof value !== 'object' || value === null || text.length <= MAX_STRUCTURED_LENGTH) return text;
  return `${truncate(text, MAX_STRUCTURED_LENGTH)} (cut from ${text.length} characters; \`flow show --json\` prints it whole)`;
}
