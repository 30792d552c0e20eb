// Runs one notebook on a kernel the papermill way: inject, execute cell by cell, save as it goes.
import { relative } from 'node:path';
import type { AttemptProgress, NodeError } from '../events/run-event.js';
import { hasTag } from '../notebook/cells.js';
import { injectParameters, secretAssignments } from '../notebook/inject-parameters.js';
import { CellOutputs, DEFAULT_OUTPUT_LIMIT, DisplayIndex, formatChars } from '../notebook/output-buffer.js';
import { addErrorBanner, finishCell, papermillTime, startCell, startNotebookMetadata } from '../notebook/papermill-metadata.js';
import { readNotebook, notebookKernel } from '../notebook/read-notebook.js';
import { checkOutputType, collectScraps, parseOutputsProbe } from '../notebook/scrapbook.js';
import { lookupTranslator, type Translator } from '../notebook/translators/index.js';
import type { Cell, CodeCell, ErrorOutput, Notebook } from '../notebook/types.js';
import { sourceText } from '../notebook/types.js';
import { createNotebookSaver } from '../notebook/write-notebook.js';
import { UsageError } from '../errors.js';
import type { OutputType } from '../workflow/types.js';
import type { ExecuteOutcome, KernelSession } from './kernel-session.js';
import { formatDuration } from '../workflow/duration.js';
import type { Secrets } from '../workflow/secrets.js';

export interface ExecuteNotebookOptions {
  inputPath: string;
  outputPath: string;
  params: Record<string, unknown>;
  /** Params that need not be defined in the notebook (see InjectOptions.expected). */
  expectedParams?: readonly string[];
  /** Overrides the notebook's kernelspec. */
  kernelName?: string;
  /** Kernel for this notebook: started (or handed over pre-warmed) once the notebook is prepared. */
  getKernel: (kernelName: string) => Promise<KernelSession>;
  /**
   * Called once the notebook is saved, instead of waiting for the kernel to shut down (≈0.3 s
   * on the server): a workflow run stops kernels in the background. @default session.shutdown()
   */
  releaseKernel?: (session: KernelSession) => Promise<void>;
  cellTimeoutMs?: number;
  /** Whole-notebook wall clock. */
  timeoutMs?: number;
  declaredOutputs?: Readonly<Record<string, OutputType>>;
  env?: Readonly<Record<string, string>>;
  /**
   * Secret params: set in the kernel by a silent execute just before the injected cell, never
   * written to the notebook; `mask` replaces their values (and any other secret's) with *** in
   * every output, error and declared output before it is saved or reported.
   */
  secrets?: { params: Record<string, unknown>; mask: Secrets };
  signal?: AbortSignal;
  onProgress?: (p: AttemptProgress) => void;
  /** Write the parameterized notebook without executing it (papermill --prepare-only). */
  prepareOnly?: boolean;
  /** Hide code cells' source in the output (papermill --report-mode). */
  reportMode?: boolean;
  /** @default 1000 */
  saveIntervalMs?: number;
  /**
   * Characters one output may keep; past it a stream keeps its first and last halves around a
   * note, and a display becomes a note (see CellOutputs). @default DEFAULT_OUTPUT_LIMIT (32 MiB)
   */
  outputLimit?: number;
  warn?: (message: string) => void;
}

export type ExecuteNotebookResult =
  | { ok: true; outputs: Record<string, unknown>; notebook: Notebook }
  | { ok: false; error: NodeError; cancelled: boolean; notebook: Notebook };

export async function executeNotebook(opts: ExecuteNotebookOptions): Promise<ExecuteNotebookResult> {
  const input = await readNotebook(opts.inputPath);
  const kernel = notebookKernel(input);
  const kernelName = opts.kernelName ?? kernel.name ?? 'python3';
  const secretParams = opts.secrets?.params ?? {};
  const injected = injectParameters(input, opts.params, {
    language: kernel.language,
    kernelName,
    secretNames: Object.keys(secretParams),
    expected: opts.expectedParams,
  });
  const secretCode = Object.keys(secretParams).length > 0 ? secretAssignments(kernel.language, kernelName, secretParams) : undefined;
  for (const w of injected.warnings) opts.warn?.(w);
  // The kernel's language, as for the parameters: it sets the env and reads variables.
  const translator = lookupTranslator(kernel.language, kernelName);
  const envCode = environmentCode(translator, kernel.language, opts.env);
  // Run silently before the first cell: output in bounded messages, then the node's env.
  const setup = [translator?.boundOutput, envCode].filter((c) => c !== undefined);
  const setupCode = setup.length > 0 ? setup.join('\n') : undefined;
  const nb = injected.notebook;
  const started = new Date();
  startNotebookMetadata(nb, {
    inputPath: opts.inputPath,
    outputPath: opts.outputPath,
    parameters: (injected.notebook.metadata.papermill?.parameters as Record<string, unknown> | undefined) ?? opts.params,
    environmentVariables: opts.env ?? {},
    startTime: started,
  });
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'code') continue;
    cell.outputs = [];
    cell.execution_count = null;
    if (opts.reportMode) cell.metadata.jupyter = { ...(cell.metadata.jupyter as object), source_hidden: true };
  }
  const saver = createNotebookSaver(opts.outputPath, () => nb, { intervalMs: opts.saveIntervalMs ?? 1000 });
  await saver.flush();
  if (opts.prepareOnly) return { ok: true, outputs: {}, notebook: nb };

  let session: KernelSession | undefined;
  try {
    try {
      session = await opts.getKernel(kernelName);
    } catch (err) {
      // A kernel that could not start because its server stopped says so (ServerLostError).
      const errorClass = (err as { errorClass?: NodeError['errorClass'] }).errorClass ?? 'kernel_start';
      const error: NodeError = { errorClass, message: (err as Error).message };
      endRun(nb, started, true);
      return { ok: false, error, cancelled: false, notebook: nb };
    }
    if (nb.metadata.language_info === undefined) nb.metadata.language_info = session.languageInfo;
    const run = await runCells(nb, session, opts, saver.schedule, setupCode, secretCode);
    let result = run.result;
    if (result.ok && opts.declaredOutputs && Object.keys(opts.declaredOutputs).length > 0) {
      result = await readDeclaredOutputs(nb, session, opts.declaredOutputs, translator, opts.signal);
    }
    if (opts.secrets) result = maskResult(result, opts.secrets.mask);
    endRun(nb, started, !result.ok);
    // After the end metadata, as papermill adds them: the marker cells carry no papermill metadata.
    if (run.failedCell) addErrorBanner(nb, nb.cells.indexOf(run.failedCell), run.failedCell.execution_count);
    return result;
  } finally {
    // The notebook is always written, even on failure or cancellation.
    await saver.flush();
    if (session) await (opts.releaseKernel ? opts.releaseKernel(session) : session.shutdown());
  }
}

/**
 * The run's end in `metadata.papermill`. Not finishNotebookMetadata: every cell the run reached
 * has its status already, and it would mark cells that never ran (after a failure before the
 * kernel started, or after SystemExit(0)) `completed`; they stay `pending`, as papermill leaves them.
 */
function endRun(nb: Notebook, started: Date, exception: boolean): void {
  const ended = new Date();
  Object.assign((nb.metadata.papermill ??= {}), {
    end_time: papermillTime(ended),
    duration: (ended.getTime() - started.getTime()) / 1000,
    ...(exception ? { exception: true } : {}),
  });
}

/** A cell the kernel does not run (markdown, raw, empty, skip-execution): papermill still times it. */
function passCell(cell: Cell): void {
  const now = new Date();
  const hadTimings = 'execution' in cell.metadata;
  startCell(cell, now);
  if (!hadTimings) delete cell.metadata.execution;
  finishCell(cell, now);
}

interface CellsRun {
  result: ExecuteNotebookResult;
  /** The cell that failed (not one that was cancelled): papermill's markers go before it. */
  failedCell?: CodeCell;
}

/**
 * The code that sets a node's `env:` in its kernel (Jupyter's REST API cannot set a kernel's
 * environment), or undefined when there is none. A language that cannot is a usage error here
 * (a workflow's is refused at load time, see checkKernelRequests).
 */
function environmentCode(
  translator: Translator | undefined,
  language: string,
  env: Readonly<Record<string, string>> | undefined,
): string | undefined {
  if (!env || Object.keys(env).length === 0) return undefined;
  if (!translator?.setEnvironment) {
    throw new UsageError(`flow cannot set environment variables in a ${translator?.language ?? language} kernel`);
  }
  return translator.setEnvironment(env);
}

async function runCells(
  nb: Notebook,
  session: KernelSession,
  opts: ExecuteNotebookOptions,
  save: () => void,
  setupCode: string | undefined,
  secretCode: string | undefined,
): Promise<CellsRun> {
  const mask = opts.secrets?.mask;
  const deadline = opts.timeoutMs !== undefined ? Date.now() + opts.timeoutMs : undefined;
  const displays = new DisplayIndex();
  const outputLimit = opts.outputLimit ?? DEFAULT_OUTPUT_LIMIT;
  const total = nb.cells.filter((c) => c.cell_type === 'code').length;
  // Before the first cell.
  if (setupCode !== undefined) await session.execute(setupCode, { silent: true });
  let n = -1; // code cells seen: progress counts code cells only
  let rateLimitWarned = false;
  for (let index = 0; index < nb.cells.length; index++) {
    const cell = nb.cells[index]!;
    if (cell.cell_type !== 'code') {
      passCell(cell);
      continue;
    }
    n++;
    if (hasTag(cell, 'skip-execution') || sourceText(cell.source).trim() === '') {
      passCell(cell);
      continue;
    }
    const remaining = deadline !== undefined ? deadline - Date.now() : undefined;
    const timeoutMs = minDefined(opts.cellTimeoutMs, remaining);
    const notebookTimeout = remaining !== undefined && (opts.cellTimeoutMs === undefined || remaining < opts.cellTimeoutMs);
    opts.onProgress?.({ kind: 'cell_started', cell: n, total });
    startCell(cell, new Date());
    save();
    // Secrets are set right before the cell that would have set them, after the parameters cell's defaults.
    if (secretCode !== undefined && hasTag(cell, 'injected-parameters'))
      await session.execute(secretCode, { silent: true, signal: opts.signal });
    const outputs = new CellOutputs(displays, cell, save, outputLimit);
    const executed = await session.execute(sourceText(cell.source), {
      timeoutMs: timeoutMs !== undefined ? Math.max(timeoutMs, 1) : undefined,
      signal: opts.signal,
      onIOPub: (type, raw) => {
        // Masked before anything keeps it: the notebook, the live view, the record.
        const content = mask ? mask.maskDeep(raw) : raw;
        outputs.onMessage(type, content);
        if (type === 'stream') {
          const c = content as { name: 'stdout' | 'stderr'; text: string };
          opts.onProgress?.({ kind: 'output', stream: c.name, text: c.text });
          if (c.name === 'stderr' && RATE_LIMITED.test(c.text) && !rateLimitWarned) {
            rateLimitWarned = true;
            opts.warn?.(rateLimitWarning(index));
          }
        }
      },
    });
    outputs.finish();
    if (executed.outputsIncomplete) {
      opts.warn?.(
        `cell ${index + 1}: the end of its output did not arrive (the kernel sent more than the Jupyter server passed on); ` +
          'the notebook may miss the last of it',
      );
    }
    if (outputs.dropped > 0) {
      opts.warn?.(
        `cell ${index + 1} printed more than the output limit of ${formatChars(outputLimit)} per output: ` +
          `${formatChars(outputs.dropped)} were dropped from the middle, and the notebook says where`,
      );
    }
    const outcome = mask ? mask.maskDeep(executed) : executed;
    if ('executionCount' in outcome) cell.execution_count = outcome.executionCount;
    cell.metadata.execution = { ...cell.metadata.execution, ...outcome.timing };
    // Name the limit the user set, not the time that was left of it when the cell started.
    const limitMs = notebookTimeout ? opts.timeoutMs : opts.cellTimeoutMs;
    const failure = classify(outcome, cell, limitMs, notebookTimeout);
    finishCell(cell, new Date(), failure !== undefined && failure !== 'sysexit0');
    if (failure !== undefined && failure !== 'sysexit0') (nb.metadata.papermill ??= {}).exception = true;
    opts.onProgress?.({ kind: 'cell_finished', cell: n, total, ok: failure === undefined || failure === 'sysexit0' });
    save();
    // SystemExit(0) ends the notebook successfully; the cells after it never ran and stay pending.
    if (failure === 'sysexit0') break;
    if (failure === undefined) continue;
    const cancelled = outcome.status === 'cancelled';
    return {
      result: { ok: false, error: { ...failure, cell: index }, cancelled, notebook: nb },
      failedCell: cancelled ? undefined : cell,
    };
  }
  return { result: { ok: true, outputs: {}, notebook: nb } };
}

/** What Jupyter Server writes (on stderr, as if from the kernel) when it drops output over its iopub rate limit. */
const RATE_LIMITED = /^IOPub (data|message) rate exceeded\./;

function rateLimitWarning(cellIndex: number): string {
  return (
    `the Jupyter server dropped output of cell ${cellIndex + 1} (its IOPub rate limit): the notebook is missing it; ` +
    'start the server with --ZMQChannelsWebsocketConnection.limit_rate=False (Jupyter Server 2) or --ServerApp.iopub_data_rate_limit=0 (1.x)'
  );
}

/** undefined: the cell succeeded (or may raise); 'sysexit0': stop, successfully. */
function classify(
  outcome: ExecuteOutcome,
  cell: CodeCell,
  timeoutMs: number | undefined,
  notebookTimeout: boolean,
): NodeError | 'sysexit0' | undefined {
  switch (outcome.status) {
    case 'ok':
      return undefined;
    case 'error': {
      if (outcome.ename === 'SystemExit' && ['0', '', 'None'].includes(outcome.evalue.trim())) return 'sysexit0';
      if (hasTag(cell, 'raises-exception')) return undefined;
      return {
        errorClass: 'error',
        message: `${outcome.ename}: ${outcome.evalue}`,
        executionCount: outcome.executionCount,
        ename: outcome.ename,
        evalue: outcome.evalue,
        traceback: outcome.traceback,
      };
    }
    case 'timeout': {
      const evalue = notebookTimeout
        ? `the notebook timed out: it ran longer than its timeout of ${formatDuration(timeoutMs ?? 0)}`
        : `a cell timed out: it ran longer than the cell timeout of ${formatDuration(timeoutMs ?? 0)}`;
      appendError(cell, 'CellTimeoutError', evalue);
      return { errorClass: 'timeout', message: evalue, executionCount: outcome.executionCount, ename: 'CellTimeoutError', evalue };
    }
    case 'died': {
      appendError(cell, 'DeadKernelError', outcome.message);
      return { errorClass: 'kernel_died', message: outcome.message, ename: 'DeadKernelError', evalue: outcome.message };
    }
    case 'cancelled': {
      const evalue = 'cancelled: the run was interrupted';
      appendError(cell, 'KeyboardInterrupt', evalue);
      return { errorClass: 'error', message: evalue, executionCount: outcome.executionCount, ename: 'KeyboardInterrupt', evalue };
    }
  }
}

/** A failure the kernel did not report itself still shows in the cell, as nbclient's would. */
function appendError(cell: CodeCell, ename: string, evalue: string): void {
  const out: ErrorOutput = { output_type: 'error', ename, evalue, traceback: [`${ename}: ${evalue}`] };
  cell.outputs.push(out);
}

async function readDeclaredOutputs(
  nb: Notebook,
  session: KernelSession,
  declared: Readonly<Record<string, OutputType>>,
  translator: Translator | undefined,
  signal: AbortSignal | undefined,
): Promise<ExecuteNotebookResult> {
  const values: Record<string, unknown> = collectScraps(nb);
  const missing = Object.keys(declared).filter((name) => !(name in values));
  // A language whose variables flow cannot read: scraps only.
  const probeCode = missing.length > 0 ? translator?.readVariables?.(missing) : undefined;
  if (probeCode !== undefined) {
    let text = '';
    // Not silent: a silent request may not publish stdout on every kernel; the kernel is
    // shut down right after, so the extra history entry is harmless.
    await session.execute(probeCode, {
      signal,
      timeoutMs: 30_000,
      onIOPub: (type, content) => {
        if (type === 'stream' && (content as { name: string }).name === 'stdout') text += (content as { text: string }).text;
      },
    });
    const probe = parseOutputsProbe(text);
    if (probe) {
      Object.assign(values, probe.values);
      for (const [name, why] of Object.entries(probe.errors)) {
        const evalue = `output "${name}" could not be read from the kernel: ${why}`;
        return {
          ok: false,
          cancelled: false,
          notebook: nb,
          error: { errorClass: 'error', message: evalue, ename: 'OutputTypeError', evalue },
        };
      }
    }
  }
  const outputs: Record<string, unknown> = {};
  for (const [name, type] of Object.entries(declared)) {
    if (!(name in values)) {
      const evalue = `output "${name}" is declared but the notebook neither recorded it (scrapbook glue) nor left a variable of that name`;
      return { ok: false, cancelled: false, notebook: nb, error: { errorClass: 'error', message: evalue, ename: 'MissingOutput', evalue } };
    }
    const problem = checkOutputType(name, values[name], type);
    if (problem) {
      return {
        ok: false,
        cancelled: false,
        notebook: nb,
        error: { errorClass: 'error', message: problem, ename: 'OutputTypeError', evalue: problem },
      };
    }
    outputs[name] = values[name];
  }
  return { ok: true, outputs, notebook: nb };
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

/** The path the server must be given for a kernel cwd (relative to its root_dir). */
export function kernelPathFor(cwd: string, rootDir = '/'): string {
  return relative(rootDir, cwd);
}

/** A result with every secret value masked: a declared output that holds one, an error that shows one. */
function maskResult(result: ExecuteNotebookResult, mask: Secrets): ExecuteNotebookResult {
  return result.ok ? { ...result, outputs: mask.maskDeep(result.outputs) } : { ...result, error: mask.maskDeep(result.error) };
}
