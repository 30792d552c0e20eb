// Papermill's run metadata on the notebook and its cells, plus nbclient's execution timings.
// These mutate the notebook in place: during a run it is one live object that the saver writes.
import { removeErrorMarkers } from './error-banner.js';
import type { Cell, Notebook } from './types.js';

export { addErrorBanner, removeErrorMarkers, errorBannerSource, ERROR_MARKER_TAG } from './error-banner.js';
export { hasTag, findTaggedCell } from './cells.js';

/**
 * `metadata.papermill.version`. Papermill's and scrapbook's readers do not check it; a PEP 440
 * local version says "papermill 2.7 layout, written by flow" and still parses as a version.
 */
export const PAPERMILL_VERSION = '2.7.0+flow';

export type CellStatus = 'pending' | 'running' | 'completed' | 'failed';

/** nbclient's `metadata.execution` keys. */
export type ExecutionTimingKey = 'iopub.status.busy' | 'iopub.execute_input' | 'shell.execute_reply' | 'iopub.status.idle';

export interface RunMetadata {
  parameters: Record<string, unknown>;
  inputPath: string;
  outputPath: string;
  /** @default {} */
  defaultParameters?: Record<string, unknown>;
  /** @default {} */
  environmentVariables?: Record<string, string>;
  /** @default PAPERMILL_VERSION */
  version?: string;
  /** Hide every code cell's source (papermill's --report-mode). @default false */
  reportMode?: boolean;
}

/** UTC time as papermill writes it (Python's `isoformat()`): `2026-11-26T09:30:00.123000+00:00`. */
export function papermillTime(d: Date): string {
  return d.toISOString().replace('Z', '000+00:00');
}

/**
 * Prepares a notebook to run, as papermill does before executing: notebook metadata set, old error
 * markers removed, every cell `pending` with its outputs, execution count and timings cleared.
 */
export function prepareNotebookMetadata(nb: Notebook, run: RunMetadata): void {
  removeErrorMarkers(nb);
  nb.metadata.papermill = {
    ...(nb.metadata.papermill ?? {}),
    default_parameters: run.defaultParameters ?? {},
    parameters: run.parameters,
    environment_variables: run.environmentVariables ?? {},
    version: run.version ?? PAPERMILL_VERSION,
    input_path: run.inputPath,
    output_path: run.outputPath,
    start_time: null,
    end_time: null,
    duration: null,
    exception: null,
  };
  for (const cell of nb.cells) {
    cell.metadata.papermill = { exception: null, start_time: null, end_time: null, duration: null, status: 'pending' };
    if (cell.cell_type === 'code') {
      cell.outputs = [];
      cell.execution_count = null;
      delete cell.metadata.execution;
      if (run.reportMode) cell.metadata.jupyter = { ...(cell.metadata.jupyter as object | undefined), source_hidden: true };
    }
  }
}

/** The run starts now. */
export function startNotebook(nb: Notebook, now: Date = new Date()): void {
  Object.assign(pm(nb), { start_time: papermillTime(now), end_time: null, duration: null, exception: null });
}

/** The cell starts running: status `running`, its nbclient timings reset. */
export function startCell(cell: Cell, now: Date = new Date()): void {
  Object.assign(cellPm(cell), { start_time: papermillTime(now), status: 'running', exception: false });
  cell.metadata.execution = {};
}

/** The cell raised, timed out or lost its kernel: it and the notebook record an exception. */
export function failCell(nb: Notebook, cell: Cell): void {
  Object.assign(cellPm(cell), { status: 'failed', exception: true });
  pm(nb).exception = true;
}

/** The cell ended (after `failCell` if it failed): end time and duration; `completed` unless failed. */
export function completeCell(cell: Cell, now: Date = new Date()): void {
  const p = cellPm(cell);
  p.end_time = papermillTime(now);
  if (typeof p.start_time === 'string') p.duration = seconds(p.start_time, now);
  if (p.status !== 'failed') p.status = 'completed';
}

/**
 * The run ended, however it ended. As papermill: cells still `pending` before the first failed
 * cell (markdown, skipped) become `completed`; cells after a failure stay `pending`.
 */
export function finishNotebook(nb: Notebook, now: Date = new Date()): void {
  const p = pm(nb);
  p.end_time = papermillTime(now);
  if (typeof p.start_time === 'string') p.duration = seconds(p.start_time, now);
  for (const cell of nb.cells) {
    const c = cellPm(cell);
    if (c.status === 'failed') break;
    if (c.status === 'pending') c.status = 'completed';
  }
}

/** `prepareNotebookMetadata` then `startNotebook`, in one call. */
export function startNotebookMetadata(nb: Notebook, run: RunMetadata & { startTime?: Date }): void {
  prepareNotebookMetadata(nb, run);
  startNotebook(nb, run.startTime ?? new Date());
}

/** The cell ended: `failCell`'s cell part when it failed, then `completeCell`. */
export function finishCell(cell: Cell, now: Date = new Date(), failed = false): void {
  if (failed) Object.assign(cellPm(cell), { status: 'failed', exception: true });
  completeCell(cell, now);
}

/** `finishNotebook`, recording whether the run failed (`exception`) in the notebook metadata. */
export function finishNotebookMetadata(nb: Notebook, end: { endTime?: Date; exception?: boolean; startTime?: Date } = {}): void {
  const p = pm(nb);
  if (end.startTime && typeof p.start_time !== 'string') p.start_time = papermillTime(end.startTime);
  if (end.exception) p.exception = true;
  finishNotebook(nb, end.endTime ?? new Date());
}

/** Records one of nbclient's timings; pass the kernel message's `header.date` when there is one. */
export function recordExecutionTiming(cell: Cell, key: ExecutionTimingKey, time: string | Date): void {
  cell.metadata.execution ??= {};
  cell.metadata.execution[key] = typeof time === 'string' ? time : time.toISOString().replace('Z', '000Z'); // nbclient's %f
}

/** The cell's papermill status, if it has one. */
export function cellStatus(cell: Cell): CellStatus | undefined {
  return cell.metadata.papermill?.status as CellStatus | undefined;
}

function pm(nb: Notebook): Record<string, unknown> {
  return (nb.metadata.papermill ??= {});
}

function cellPm(cell: Cell): Record<string, unknown> {
  return (cell.metadata.papermill ??= { status: 'pending' });
}

function seconds(startIso: string, end: Date): number {
  return (end.getTime() - Date.parse(startIso)) / 1000;
}
