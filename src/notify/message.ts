// What a notification says: what happened, where, and the next step — as a subject a person can
// filter on, a plain-text and an HTML body, and flow's own JSON body for webhooks.
import { basename } from 'node:path';
import type { NodeState } from '../events/run-state.js';
import { esc } from '../summary/html.js';
import { skipText } from '../summary/report-dot.js';
import type { ReportRun } from '../summary/report-page.js';
import { formatDuration } from '../summary/summary-notebook.js';

/** Why a message is sent: how the run ended (recovered: a success after a failure), or a test. */
export type NotifyEvent = 'failure' | 'success' | 'recovered' | 'cancelled' | 'test';

/** One failed node (or matrix instance), with what is needed to repair it. */
export interface FailedNode {
  node: string;
  instance?: number;
  error_class: string;
  ename?: string;
  evalue?: string;
  message: string;
  /** 0-based index of the failing cell, and its execution count. */
  cell?: number;
  execution_count?: number;
  cell_source?: string;
  traceback?: string;
  notebook?: string;
  attempts: number;
  /** Failed with `continue_on_error`: the run went on, and this did not fail it. */
  continue_on_error?: boolean;
}

/**
 * flow's own webhook body (`format: json`), version 1: documented in docs/notifications.md.
 * Everything in it comes from run.json, in which secrets are already `***`.
 */
export interface NotificationBody {
  schema: 'flow.notification/1';
  event: NotifyEvent;
  workflow: string;
  workflow_file: string;
  run_id: string;
  status: string;
  exit_code: number | null;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  /** The scheduled time the run is for; the start, for a manual run. */
  logical_date: string;
  host: string | null;
  run_dir: string;
  report: string | null;
  resumed_from: string | null;
  failed: FailedNode[];
  skipped: { node: string; why: string }[];
  not_run: string[];
  /** The command that repairs the run, for a failure. */
  next_step: string | null;
}

export interface Message {
  subject: string;
  text: string;
  html: string;
  body: NotificationBody;
}

const SOURCE_LINES = 12;
const TRACEBACK_LINES = 20;
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

function excerpt(text: string, lines: number, fromEnd: boolean): string {
  const all = text.replace(ANSI, '').replace(/\s+$/, '').split('\n');
  if (all.length <= lines) return all.join('\n');
  return fromEnd ? ['…', ...all.slice(-lines)].join('\n') : [...all.slice(0, lines), '…'].join('\n');
}

function failedNodes(data: ReportRun): FailedNode[] {
  const out: FailedNode[] = [];
  const add = (n: NodeState, node: string, instance?: number, continueOnError = n.continueOnError) => {
    if (n.status !== 'failed' || !n.error) return;
    const label = instance === undefined ? node : `${node}[${instance}]`;
    const source = data.failingCells[label];
    const notebook = n.notebookPath ?? n.attempts.at(-1)?.notebookPath;
    out.push({
      node,
      ...(instance !== undefined && { instance }),
      error_class: n.error.errorClass,
      ...(n.error.ename !== undefined && { ename: n.error.ename }),
      ...(n.error.evalue !== undefined && { evalue: n.error.evalue }),
      message: n.error.message,
      ...(n.error.cell !== undefined && { cell: n.error.cell }),
      ...(typeof n.error.executionCount === 'number' && { execution_count: n.error.executionCount }),
      ...(source !== undefined && { cell_source: excerpt(source, SOURCE_LINES, false) }),
      ...(n.error.traceback?.length && { traceback: excerpt(n.error.traceback.join('\n'), TRACEBACK_LINES, true) }),
      ...(notebook && { notebook }),
      attempts: n.attempts.length,
      ...(continueOnError && { continue_on_error: true }),
    });
  };
  for (const n of Object.values(data.run.nodes)) {
    if (!n.instances?.length) add(n, n.id);
    else
      for (const [i, inst] of n.instances.entries()) {
        if (inst) add(inst, n.id, i, n.continueOnError);
      }
  }
  // What failed the run first; failures the run went on past after.
  return [...out.filter((f) => !f.continue_on_error), ...out.filter((f) => f.continue_on_error)];
}

/** `validate (ValueError)`, `audit[0] (AssertionError) and 2 more`. */
function failedSummary(failed: FailedNode[]): string {
  if (failed.length === 0) return '';
  const f = failed[0]!;
  const first = `${f.instance === undefined ? f.node : `${f.node}[${f.instance}]`} (${f.ename ?? f.error_class})`;
  return failed.length === 1 ? first : `${first} and ${failed.length - 1} more`;
}

export interface MessageOptions {
  event: NotifyEvent;
  /** Replaces `[flow]` at the start of the subject. */
  subjectPrefix?: string;
  /** The report's path, when there is one. */
  report?: string;
}

export function buildMessage(data: ReportRun, opts: MessageOptions): Message {
  const run = data.run;
  const failed = failedNodes(data);
  const skipped = Object.values(run.nodes)
    .filter((n) => n.status === 'skipped' && n.skip)
    .map((n) => ({ node: n.id, why: skipText(n.skip!) }));
  const notRun = Object.values(run.nodes)
    .filter((n) => n.status === 'pending' || n.status === 'queued' || n.status === 'cancelled' || n.status === 'upstream_failed')
    .map((n) => n.id);
  const repairable = run.status === 'failed' || run.status === 'cancelled' || run.status === 'running';
  const nextStep = repairable ? `flow resume ${run.runId}` : null;
  const body: NotificationBody = {
    schema: 'flow.notification/1',
    event: opts.event,
    workflow: run.workflow,
    workflow_file: run.workflowFile,
    run_id: run.runId,
    status: run.status,
    exit_code: run.exitCode ?? null,
    started_at: run.startedAt,
    finished_at: run.finishedAt ?? null,
    duration_ms: run.durationMs ?? null,
    logical_date: (run as { logicalDate?: string }).logicalDate ?? run.startedAt,
    host: run.host ?? null,
    run_dir: run.runDir,
    report: opts.report ?? null,
    resumed_from: run.resumedFrom ?? null,
    failed,
    skipped,
    not_run: notRun,
    next_step: nextStep,
  };
  const prefix = opts.subjectPrefix ?? '[flow]';
  const what =
    opts.event === 'test'
      ? 'test message'
      : opts.event === 'recovered'
        ? 'recovered'
        : run.status === 'failed'
          ? `failed${failed.length ? `: ${failedSummary(failed)}` : ''}`
          : run.status;
  const headline = `${run.workflow} ${what}`;
  const subject = prefix.trim() ? `${prefix.trim()} ${headline}` : headline;
  return { subject, text: textBody(body, headline), html: htmlBody(body, headline), body };
}

function facts(b: NotificationBody): [string, string][] {
  return [
    ['Workflow', `${b.workflow} (${b.workflow_file})`],
    ['Run', b.run_id],
    ['Logical date', b.logical_date],
    [
      'Status',
      `${b.status}${b.exit_code === null ? '' : `, exit code ${b.exit_code}`}${b.duration_ms === null ? '' : `, after ${formatDuration(b.duration_ms)}`}`,
    ],
    ['Started', b.started_at],
    ...(b.host ? ([['Host', b.host]] as [string, string][]) : []),
    ...(b.resumed_from ? ([['Resumed from', b.resumed_from]] as [string, string][]) : []),
  ];
}

const label = (f: FailedNode) => (f.instance === undefined ? f.node : `${f.node}[${f.instance}]`);
const cellText = (f: FailedNode) =>
  f.cell === undefined ? '' : `cell ${f.cell}${f.execution_count !== undefined ? ` (In [${f.execution_count}])` : ''}`;

function textBody(b: NotificationBody, headline: string): string {
  const lines = [headline, ''];
  const width = Math.max(...facts(b).map(([k]) => k.length));
  for (const [k, v] of facts(b)) lines.push(`${k.padEnd(width)}  ${v}`);
  if (b.event === 'test') lines.push('', 'This is a test of the channel (flow notify --test): no run ended.');
  if (b.failed.length > 0) {
    lines.push('', 'Failed:');
    for (const f of b.failed) {
      lines.push(
        `  ${label(f)}: ${f.ename ? `${f.ename}: ${f.evalue ?? ''}` : f.message}${cellText(f) ? ` in ${cellText(f)}` : ''}${f.attempts > 1 ? `, after ${f.attempts} attempts` : ''}${f.continue_on_error ? ' (continue_on_error: the run went on)' : ''}`,
      );
      if (f.cell_source) lines.push('    the cell:', ...f.cell_source.split('\n').map((l) => `    | ${l}`));
      if (f.traceback) lines.push('    traceback:', ...f.traceback.split('\n').map((l) => `    ${l}`));
      if (f.notebook) lines.push(`    notebook: ${f.notebook}`);
    }
  }
  if (b.skipped.length > 0) lines.push('', `Skipped: ${b.skipped.map((s) => `${s.node} (${s.why})`).join('; ')}`);
  if (b.not_run.length > 0) lines.push('', `Never ran: ${b.not_run.join(', ')}`);
  lines.push('', `Run directory: ${b.run_dir}`);
  if (b.report) lines.push(`Report: ${b.report}`);
  if (b.next_step) lines.push('', `Next step: fix the cause, then \`${b.next_step}\` re-runs what failed and reuses what succeeded.`);
  return `${lines.join('\n')}\n`;
}

function htmlBody(b: NotificationBody, headline: string): string {
  const colour = b.status === 'succeeded' ? '#2e7d32' : b.status === 'failed' ? '#c62828' : '#ef6c00';
  const rows = facts(b)
    .map(([k, v]) => `<tr><th align="left" style="padding:2px 12px 2px 0">${esc(k)}</th><td>${esc(v)}</td></tr>`)
    .join('');
  const failed = b.failed
    .map(
      (f) => `<h3 style="margin:16px 0 4px">${esc(label(f))}: ${esc(f.ename ? `${f.ename}: ${f.evalue ?? ''}` : f.message)}</h3>
<p style="margin:0">${esc(cellText(f))}${f.attempts > 1 ? esc(`, after ${f.attempts} attempts`) : ''}${f.notebook ? ` · notebook <code>${esc(basename(f.notebook))}</code>` : ''}</p>
${f.cell_source ? `<pre style="background:#f6f8fa;padding:8px;border:1px solid #d0d7de">${esc(f.cell_source)}</pre>` : ''}
${f.traceback ? `<pre style="background:#fff5f5;padding:8px;border:1px solid #f0c0c0">${esc(f.traceback)}</pre>` : ''}`,
    )
    .join('\n');
  const skipped = b.skipped.length ? `<p><b>Skipped:</b> ${b.skipped.map((s) => `${esc(s.node)} (${esc(s.why)})`).join('; ')}</p>` : '';
  const notRun = b.not_run.length ? `<p><b>Never ran:</b> ${esc(b.not_run.join(', '))}</p>` : '';
  const next = b.next_step
    ? `<p><b>Next step:</b> fix the cause, then <code>${esc(b.next_step)}</code> re-runs what failed and reuses what succeeded.</p>`
    : '';
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;font-size:14px">
<h2 style="color:${colour};margin:0 0 8px">${esc(headline)}</h2>
<table>${rows}</table>
${b.event === 'test' ? '<p>This is a test of the channel (<code>flow notify --test</code>): no run ended.</p>' : ''}
${failed}${skipped}${notRun}
<p>Run directory: <code>${esc(b.run_dir)}</code>${b.report ? `<br>Report: <code>${esc(b.report)}</code>` : ''}</p>
${next}
</body></html>
`;
}
