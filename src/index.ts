// nbflow's public API: load a workflow, plan it, run or resume it, watch its events. The CLI is
// built on exactly this; nothing here touches process state (no exit, no signal handler, no stdout).

// Runs
export { runWorkflow, startRun } from './run/start-run.js';
export { resumeRun, startResume } from './run/resume-run.js';
export type { ActiveRun, CommonRunOptions, ResumeRunOptions, RunResult, RunWorkflowOptions } from './run/run-options.js';
export type { NodeSummary, RunSummary } from './engine/run-options.js';
export type { ParamSources, ParamPairs } from './workflow/param-sources.js';

// Workflows and plans
export { loadWorkflow, parseWorkflow, type LoadWorkflowOptions, type Loaded } from './run/load-workflow.js';
export { buildPlan } from './graph/build-plan.js';
export type { Plan } from './graph/types.js';
export type { NodeSpec, ParamSpec, Workflow } from './workflow/types.js';
export { WholeFloat } from './workflow/whole-float.js';

// Jupyter
export { connectJupyter, type ConnectOptions } from './kernel/connect.js';
export type { JupyterServer, ServerEndpoint } from './kernel/jupyter-server.js';
export { openServer, type ServerHandle, type ServerOption } from './run/server-handle.js';

// Events, run state and reporters
export {
  EVENT_SCHEMA_VERSION,
  terminalStatuses,
  type BranchDecision,
  type NodeError,
  type NodeStatus,
  type RunEvent,
  type RunEventType,
  type SkipReason,
} from './events/run-event.js';
export { initialRunState, reduceRunState, type NodeState, type RunState } from './events/run-state.js';
export { combineReporters, type Reporter, type ReporterName, type ReporterOptions, type TextSink } from './report/reporter.js';
export { createReporters } from './run/create-reporters.js';
export { createPlainReporter, type PlainReporterOptions } from './report/plain.js';
export { createJsonReporter } from './report/json.js';
export { createJunitReporter } from './report/junit.js';

// Reports, notifications and schedules
export { writeRunReport, readReportRun, type RunReportOptions, type ReportRun } from './summary/report-page.js';
export { writeComparisonReport } from './summary/compare-page.js';
export { writeSummaryNotebook } from './summary/summary-notebook.js';
export { renderNotebooksHtml, type RenderNotebooksOptions } from './summary/render-notebooks.js';
export { notifyRun, testChannels, type NotifyRunOptions } from './notify/notify-run.js';
export type { NotificationBody } from './notify/message.js';
export type { SendResult } from './notify/send.js';
export {
  Scheduler,
  type LaunchedRun,
  type LaunchRequest,
  type SchedulerClock,
  type SchedulerOptions,
  type ScheduledWorkflow,
} from './schedule/scheduler.js';
export { FireStore, type FireRow, type FireState } from './schedule/fire-store.js';
export { launchScheduledRun } from './schedule/launch-run.js';
export { nextFire, nextFires } from './schedule/fire-times.js';
export type { NotifyChannel, ScheduleTrigger, ServerSpec } from './workflow/types.js';

// Run records on disk
export { loadRun } from './ledger/load-run.js';
export { listRuns, type RunListEntry } from './ledger/list-runs.js';
export type { RunRecord } from './ledger/run-record.js';

// Errors
export {
  CancelledError,
  type Diagnostic,
  ExitCode,
  FlowError,
  formatDiagnostic,
  JupyterServerError,
  KernelError,
  ResumeRefusedError,
  type SourcePos,
  UsageError,
  WorkflowError,
} from './errors.js';
