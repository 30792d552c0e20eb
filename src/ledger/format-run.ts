// `flow show RUN`: a run's facts and each node's status, why it was skipped, outputs, notebook, error.
import { describeBranch, describeError, describeSkip, formatDuration, formatOperands, formatValue } from '../report/format.js';
import type { NodeState } from '../engine/run-state.js';
import { formatCounts, formatStarted } from './format-run-list.js';
import type { RunRecord } from './run-record.js';
import { countStatuses } from '../engine/run-state.js';

export function formatRun(run: RunRecord): string {
  const out: string[] = [];
  const exit = run.exitCode === undefined ? '' : ` (exit ${run.exitCode})`;
  out.push(`run ${run.runId}  ${run.workflow}  ${run.status}${exit}`);
  out.push(`workflow  ${run.workflowFile}${run.workflowHash ? `  sha256 ${run.workflowHash.slice(0, 12)}` : ''}`);
  const params = Object.entries(run.params).map(([k, v]) => `${k}=${formatValue(v)}`);
  out.push(`params    ${params.join(' ') || '-'}`);
  const duration = run.durationMs === undefined ? '' : `  took ${formatDuration(run.durationMs)}`;
  out.push(`started   ${run.startedAt ? formatStarted(run.startedAt) : '-'}${duration}`);
  if (run.resumedFrom) out.push(`resumes   ${run.resumedFrom}`);
  out.push(`dir       ${run.runDir}`);
  out.push(`nodes     ${formatCounts(countStatuses(run))}`);
  out.push('');
  const width = Math.max(4, ...Object.keys(run.nodes).map((id) => id.length));
  for (const node of Object.values(run.nodes)) out.push(...formatNode(node, width));
  return `${out.join('\n')}\n`;
}

/** The status line, then indented detail lines. */
export function formatNode(n: NodeState, width: number): string[] {
  const attempts = n.attempts.length > 1 ? `  ${n.attempts.length} attempts` : '';
  const took = n.durationMs ? `  ${formatDuration(n.durationMs)}` : '';
  const flags = [n.reused ? 'reused' : '', n.continueOnError ? 'continue_on_error' : ''].filter(Boolean);
  const lines = [`${n.id.padEnd(width)}  ${n.status}${took}${attempts}${flags.length ? `  (${flags.join(', ')})` : ''}`];
  const pad = ' '.repeat(width + 2);
  if (n.skip) lines.push(`${pad}why: ${describeSkip(n.skip)}`);
  if (n.branch) lines.push(`${pad}next: ${describeBranch({ by: n.id, ...n.branch })}`);
  if (n.outputs && Object.keys(n.outputs).length > 0) lines.push(`${pad}outputs: ${formatOperands(n.outputs)}`);
  if (n.error) lines.push(`${pad}error: ${describeError(n.error)}`);
  for (const a of n.attempts.slice(0, -1)) {
    lines.push(`${pad}attempt ${a.attempt}: ${a.error ? describeError(a.error) : 'no error recorded'}  ${a.notebookPath}`);
  }
  if (n.notebookPath) lines.push(`${pad}notebook: ${n.notebookPath}`);
  for (const [i, inst] of (n.instances ?? []).entries()) {
    const err = inst.error ? `  ${describeError(inst.error)}` : '';
    lines.push(`${pad}[${i}] ${inst.status}${inst.params ? `  ${formatOperands(inst.params)}` : ''}${err}${inst.notebookPath ? `  ${inst.notebookPath}` : ''}`);
  }
  return lines;
}
