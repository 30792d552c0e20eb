// A realistic RunEvent sequence for a small branching workflow, with fixed timestamps, for
// tests of anything that consumes events (reporters, UI, ledger).
//
// The workflow `hesa-return` (params: period=P2):
//   extract (retry: 3 attempts)  — attempt 1 loses its kernel, attempt 2 succeeds
//   audit   (needs extract, if: params.period == "P3")  — skipped: condition false
//   validate (needs extract; next: errors > 0 → error_report, otherwise → export)  — chooses export
//   error_report  — skipped: branch not taken
//   export  (matrix format: [xml, json])  — instance 0 succeeds, instance 1 raises ValueError in cell 3
//   summary (needs error_report, export)  — upstream_failed
//   alert   (needs export, run_if: one_failed)  — runs and succeeds
// The run fails with exit code 1.
import type { NodeError, RunEvent } from '../../src/events/run-event.js';

export const scriptRunId = '20261126T093000Z-3f9a';
export const scriptRunDir = `runs/${scriptRunId}`;
export const scriptStart = Date.parse('2026-11-26T09:30:00.000Z');

/** ISO time `ms` after the script's start. */
export function scriptAt(ms: number): string {
  return new Date(scriptStart + ms).toISOString();
}

/** The failure of export[1], with an ANSI-coloured traceback and XML-hostile text. */
export const exportError: NodeError = {
  errorClass: 'error',
  message: 'ValueError: invalid HUSID "12 <34>" ]]> & more',
  cell: 2,
  executionCount: 3,
  ename: 'ValueError',
  evalue: 'invalid HUSID "12 <34>" ]]> & more',
  traceback: [
    '\u001b[0;31m---------------------------------------------------------------------------\u001b[0m',
    '\u001b[0;31mValueError\u001b[0m                                Traceback (most recent call last)',
    'Cell \u001b[0;32mIn[3], line 2\u001b[0m\n\u001b[1;32m      1\u001b[0m rows = load(path)\n\u001b[0;32m----> 2\u001b[0m check(rows)',
    '\u001b[0;31mValueError\u001b[0m: invalid HUSID "12 <34>" ]]> & more\u0007',
  ],
};

export const kernelDiedError: NodeError = {
  errorClass: 'kernel_died',
  message: 'the kernel died while running cell 2',
  cell: 1,
  executionCount: null,
};

/** Cells `0..count-1` of `total`, each `step` ms, all succeeding. */
function cells(node: string, attempt: number, total: number, from: number, step: number, instance?: number, count = total): RunEvent[] {
  const inst = instance === undefined ? {} : { instance };
  const events: RunEvent[] = [];
  for (let cell = 0; cell < count; cell++) {
    const t = from + cell * step;
    events.push({ type: 'cell_started', at: scriptAt(t), node, ...inst, attempt, cell, total });
    events.push({ type: 'cell_finished', at: scriptAt(t + step), node, ...inst, attempt, cell, total, ok: true });
  }
  return events;
}

/** Interleaves parallel nodes' events by time (stable for equal times). */
function byTime(events: RunEvent[]): RunEvent[] {
  return events
    .map((ev, i) => ({ ev, i }))
    .sort((a, b) => Date.parse(a.ev.at) - Date.parse(b.ev.at) || a.i - b.i)
    .map((x) => x.ev);
}

const nb = (name: string) => `${scriptRunDir}/${name}.ipynb`;

/** The whole run, in order. */
export function buildEventScript(): RunEvent[] {
  const branch = { chose: 'export', because: 'otherwise', operands: { 'outputs.errors': 0n }, rejected: ['outputs.errors > 0'] };
  return [
    {
      type: 'run_started',
      at: scriptAt(0),
      runId: scriptRunId,
      workflow: 'hesa-return',
      workflowFile: 'workflows/hesa-return.yml',
      runDir: scriptRunDir,
      params: { year: 2025, period: 'P2' },
      nodes: [
        { id: 'extract', notebook: 'notebooks/extract.ipynb' },
        { id: 'audit', notebook: 'notebooks/audit.ipynb' },
        { id: 'validate', notebook: 'notebooks/validate.ipynb' },
        { id: 'error_report', notebook: 'notebooks/error-report.ipynb' },
        { id: 'export', notebook: 'notebooks/export.ipynb', instances: 2 },
        { id: 'summary', notebook: 'notebooks/summary.ipynb' },
        { id: 'alert', notebook: 'notebooks/alert.ipynb' },
      ],
    },
    { type: 'node_queued', at: scriptAt(0), node: 'extract' },
    {
      type: 'node_started',
      at: scriptAt(10),
      node: 'extract',
      attempt: 1,
      maxAttempts: 3,
      notebookPath: nb('extract.attempt-1'),
      params: { year: 2025 },
    },
    { type: 'cell_started', at: scriptAt(900), node: 'extract', attempt: 1, cell: 0, total: 3 },
    { type: 'node_output', at: scriptAt(950), node: 'extract', attempt: 1, stream: 'stdout', text: 'loading students\n' },
    { type: 'cell_finished', at: scriptAt(1000), node: 'extract', attempt: 1, cell: 0, total: 3, ok: true },
    { type: 'cell_started', at: scriptAt(1000), node: 'extract', attempt: 1, cell: 1, total: 3 },
    {
      type: 'attempt_failed',
      at: scriptAt(1500),
      node: 'extract',
      attempt: 1,
      error: kernelDiedError,
      notebookPath: nb('extract.attempt-1'),
      retryInMs: 2000,
    },
    {
      type: 'node_started',
      at: scriptAt(3500),
      node: 'extract',
      attempt: 2,
      maxAttempts: 3,
      notebookPath: nb('extract'),
      params: { year: 2025 },
    },
    ...cells('extract', 2, 3, 4400, 300),
    { type: 'node_output', at: scriptAt(5000), node: 'extract', attempt: 2, stream: 'stdout', text: 'rows: ' },
    { type: 'node_output', at: scriptAt(5100), node: 'extract', attempt: 2, stream: 'stdout', text: '120\nwrote out/students.csv\n' },
    {
      type: 'node_finished',
      at: scriptAt(5600),
      node: 'extract',
      status: 'succeeded',
      attempts: 2,
      durationMs: 5590,
      outputs: { rows: 120, path: 'out/students.csv' },
      notebookPath: nb('extract'),
    },
    {
      type: 'node_finished',
      at: scriptAt(5600),
      node: 'audit',
      status: 'skipped',
      attempts: 0,
      durationMs: 0,
      skip: { kind: 'condition_false', expression: 'params.period == "P3"', operands: { 'params.period': 'P2' } },
    },
    { type: 'node_queued', at: scriptAt(5600), node: 'validate' },
    {
      type: 'node_started',
      at: scriptAt(5610),
      node: 'validate',
      attempt: 1,
      maxAttempts: 1,
      notebookPath: nb('validate'),
      params: { path: 'out/students.csv' },
    },
    ...cells('validate', 1, 2, 6400, 300),
    { type: 'branch_decided', at: scriptAt(7000), node: 'validate', ...branch },
    {
      type: 'node_finished',
      at: scriptAt(7000),
      node: 'validate',
      status: 'succeeded',
      attempts: 1,
      durationMs: 1390,
      outputs: { errors: 0, warnings: 2 },
      notebookPath: nb('validate'),
    },
    {
      type: 'node_finished',
      at: scriptAt(7000),
      node: 'error_report',
      status: 'skipped',
      attempts: 0,
      durationMs: 0,
      skip: { kind: 'branch_not_taken', by: 'validate', ...branch },
    },
    { type: 'node_queued', at: scriptAt(7000), node: 'export', instance: 0 },
    { type: 'node_queued', at: scriptAt(7000), node: 'export', instance: 1 },
    {
      type: 'node_started',
      at: scriptAt(7010),
      node: 'export',
      instance: 0,
      attempt: 1,
      maxAttempts: 1,
      notebookPath: nb('export.0'),
      params: { format: 'xml' },
    },
    {
      type: 'node_started',
      at: scriptAt(7010),
      node: 'export',
      instance: 1,
      attempt: 1,
      maxAttempts: 1,
      notebookPath: nb('export.1'),
      params: { format: 'json' },
    },
    ...byTime([
      ...cells('export', 1, 2, 7600, 300, 0),
      {
        type: 'node_finished',
        at: scriptAt(8200),
        node: 'export',
        instance: 0,
        status: 'succeeded',
        attempts: 1,
        durationMs: 1190,
        outputs: { xml_path: 'out/return.xml' },
        notebookPath: nb('export.0'),
      },
      ...cells('export', 1, 3, 7600, 200, 1, 2),
      { type: 'node_output', at: scriptAt(7900), node: 'export', instance: 1, attempt: 1, stream: 'stderr', text: 'checking 120 rows\n' },
      { type: 'cell_started', at: scriptAt(8000), node: 'export', instance: 1, attempt: 1, cell: 2, total: 3 },
      { type: 'cell_finished', at: scriptAt(8500), node: 'export', instance: 1, attempt: 1, cell: 2, total: 3, ok: false },
      {
        type: 'attempt_failed',
        at: scriptAt(8500),
        node: 'export',
        instance: 1,
        attempt: 1,
        error: exportError,
        notebookPath: nb('export.1'),
      },
      {
        type: 'node_finished',
        at: scriptAt(8500),
        node: 'export',
        instance: 1,
        status: 'failed',
        attempts: 1,
        durationMs: 1490,
        error: exportError,
        notebookPath: nb('export.1'),
      },
    ]),
    { type: 'node_finished', at: scriptAt(8500), node: 'export', status: 'failed', attempts: 1, durationMs: 1490 },
    {
      type: 'node_finished',
      at: scriptAt(8500),
      node: 'summary',
      status: 'upstream_failed',
      attempts: 0,
      durationMs: 0,
      skip: { kind: 'upstream_failed', upstream: ['export'] },
    },
    { type: 'node_queued', at: scriptAt(8500), node: 'alert' },
    {
      type: 'node_started',
      at: scriptAt(8510),
      node: 'alert',
      attempt: 1,
      maxAttempts: 1,
      notebookPath: nb('alert'),
      params: {},
    },
    ...cells('alert', 1, 1, 8700, 300),
    {
      type: 'node_finished',
      at: scriptAt(9000),
      node: 'alert',
      status: 'succeeded',
      attempts: 1,
      durationMs: 490,
      notebookPath: nb('alert'),
    },
    {
      type: 'run_finished',
      at: scriptAt(9000),
      status: 'failed',
      exitCode: 1,
      durationMs: 9000,
      counts: { succeeded: 3, failed: 1, skipped: 2, upstream_failed: 1 },
    },
  ];
}

/** The events up to (not including) the first one matching, e.g. to render a run mid-way. */
export function eventsUntil(events: RunEvent[], match: (ev: RunEvent) => boolean): RunEvent[] {
  const i = events.findIndex(match);
  return i < 0 ? events : events.slice(0, i);
}

/** The summary table every reporter ends the script's run with (the plain one and the live view alike). */
export const scriptSummary = `NODE          STATUS           DURATION  ATTEMPTS  OUTPUTS
extract       succeeded        5.6s      2/3       rows=120, path="out/students.csv"
audit         skipped          -         -
validate      succeeded        1.4s      1         errors=0, warnings=2
error_report  skipped          -         -
export        failed           1.5s      -
export[0]     succeeded        1.2s      1         xml_path="out/return.xml"
export[1]     failed           1.5s      1
summary       upstream failed  -         -
alert         succeeded        490ms     1

✖ run failed in 9.0s: 3 succeeded, 1 failed, 1 upstream failed, 2 skipped
run directory: runs/20261126T093000Z-3f9a`;
