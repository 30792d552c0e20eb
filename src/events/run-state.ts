// The state of a run as a pure fold over RunEvents: the UI renders it, the ledger saves it.
import type { BranchDecision, NodeError, NodeStatus, NotificationOutcome, RunEvent, SkipReason } from './run-event.js';

export interface AttemptRecord {
  attempt: number;
  startedAt: string;
  finishedAt?: string;
  /** Absent for a decision node. */
  notebookPath?: string;
  error?: NodeError;
}

export interface NodeState {
  id: string;
  /** As written; absent for a decision node. */
  notebook?: string;
  /** A decision node: its `next` is decided from upstream outputs, with no notebook run. */
  decision?: true;
  status: NodeStatus;
  attempts: AttemptRecord[];
  maxAttempts?: number;
  params?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  error?: NodeError;
  skip?: SkipReason;
  branch?: BranchDecision;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  notebookPath?: string;
  /** Current cell (0-based) and total, while running. */
  cell?: number;
  totalCells?: number;
  /** Cells of the current attempt already finished (for a progress bar). */
  cellsDone?: number;
  /** Epoch ms when the next attempt starts, while retrying. */
  retryAt?: number;
  /** Last lines printed by the running cell (bounded). */
  lastOutput: string[];
  /** True when the last entry of lastOutput is a line still being printed (no newline yet). */
  outputOpen?: boolean;
  reused?: boolean;
  continueOnError?: boolean;
  /** Matrix instances, by index. */
  instances?: NodeState[];
}

export interface RunState {
  runId: string;
  workflow: string;
  workflowFile: string;
  runDir: string;
  params: Record<string, unknown>;
  startedAt: string;
  finishedAt?: string;
  status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  exitCode?: number;
  durationMs?: number;
  resumedFrom?: string;
  /** See the run_started event. */
  logicalDate?: string;
  trigger?: string;
  lineageId?: string;
  /** In plan order. */
  nodes: Record<string, NodeState>;
  logs: { level: string; message: string; node?: string }[];
  /** How each `notify:` channel's message went, once the run ended. */
  notifications?: (NotificationOutcome & { ok: boolean; at: string })[];
}

const MAX_OUTPUT_LINES = 5;
/** Longer lines are cut: a printed DataFrame must not grow the state without bound. */
const MAX_LINE_LENGTH = 1000;

export function initialRunState(): RunState {
  return {
    runId: '',
    workflow: '',
    workflowFile: '',
    runDir: '',
    params: {},
    startedAt: '',
    status: 'running',
    nodes: {},
    logs: [],
  };
}

function newNode(id: string, notebook: string | undefined): NodeState {
  return { id, ...(notebook !== undefined && { notebook }), status: 'pending', attempts: [], lastOutput: [] };
}

/** Returns a new state; never mutates its input (the UI relies on identity changes). */
export function reduceRunState(state: RunState, ev: RunEvent): RunState {
  return reduce(state, ev, false);
}

/**
 * reduceRunState for a state that only its owner holds (the ledger, a reporter, the live store):
 * the same result and a new RunState and NodeState each time, but `state.nodes` is updated in
 * place. Copying the nodes at every event made a 10,000-node run's 30,000 events cost 126 s;
 * a state given to it must not be kept by anyone expecting it not to change.
 */
export function reduceRunStateInPlace(state: RunState, ev: RunEvent): RunState {
  return reduce(state, ev, true);
}

function reduce(state: RunState, ev: RunEvent, inPlace: boolean): RunState {
  switch (ev.type) {
    case 'run_started': {
      const nodes: Record<string, NodeState> = {};
      for (const n of ev.nodes) {
        const node = newNode(n.id, n.notebook);
        if (n.decision) node.decision = true;
        if (n.instances !== undefined) {
          node.instances = Array.from({ length: n.instances }, () => newNode(n.id, n.notebook));
        }
        nodes[n.id] = node;
      }
      return {
        ...state,
        runId: ev.runId,
        workflow: ev.workflow,
        workflowFile: ev.workflowFile,
        runDir: ev.runDir,
        params: ev.params,
        startedAt: ev.at,
        status: 'running',
        resumedFrom: ev.resumedFrom,
        ...(ev.logicalDate !== undefined && { logicalDate: ev.logicalDate }),
        ...(ev.trigger !== undefined && { trigger: ev.trigger }),
        ...(ev.lineageId !== undefined && { lineageId: ev.lineageId }),
        nodes,
      };
    }
    case 'run_finished':
      return {
        ...state,
        status: ev.status,
        exitCode: ev.exitCode,
        finishedAt: ev.at,
        durationMs: ev.durationMs,
      };
    case 'log':
      return { ...state, logs: [...state.logs, { level: ev.level, message: ev.message, node: ev.node }] };
    case 'notification_sent':
    case 'notification_failed': {
      const { type, at, ...outcome } = ev;
      return { ...state, notifications: [...(state.notifications ?? []), { ...outcome, ok: type === 'notification_sent', at }] };
    }
    default:
      return updateNode(state, ev.node, ev.instance, (n) => reduceNode(n, ev), inPlace);
  }
}

function updateNode(state: RunState, id: string, instance: number | undefined, f: (n: NodeState) => NodeState, inPlace: boolean): RunState {
  const node = state.nodes[id] ?? newNode(id, '');
  let next: NodeState;
  if (instance === undefined) {
    next = f(node);
  } else {
    const instances = [...(node.instances ?? [])];
    instances[instance] = f(instances[instance] ?? newNode(id, node.notebook));
    const startedAt = node.startedAt ?? instances[instance].startedAt;
    next = { ...node, instances, startedAt, status: rollUpStatus(node.status, instances) };
  }
  if (!inPlace) return { ...state, nodes: { ...state.nodes, [id]: next } };
  state.nodes[id] = next;
  return { ...state };
}

/**
 * A fanned-out node is running while any instance runs (queued while one waits for a slot);
 * its final status comes from its own node_finished.
 */
function rollUpStatus(current: NodeStatus, instances: NodeState[]): NodeStatus {
  if (current === 'pending' || current === 'queued') {
    if (instances.some((i) => i && (i.status === 'running' || i.status === 'retrying'))) return 'running';
    if (current === 'pending' && instances.some((i) => i?.status === 'queued')) return 'queued';
  }
  return current;
}

type NodeEvent = Exclude<RunEvent, { type: 'run_started' | 'run_finished' | 'log' | 'notification_sent' | 'notification_failed' }>;

function reduceNode(n: NodeState, ev: NodeEvent): NodeState {
  switch (ev.type) {
    case 'node_queued':
      return { ...n, status: 'queued' };
    case 'node_started':
      return {
        ...n,
        status: 'running',
        maxAttempts: ev.maxAttempts,
        params: ev.params,
        startedAt: n.startedAt ?? ev.at,
        notebookPath: ev.notebookPath,
        cell: undefined,
        totalCells: undefined,
        cellsDone: undefined,
        retryAt: undefined,
        lastOutput: [],
        outputOpen: false,
        attempts: [...n.attempts, { attempt: ev.attempt, startedAt: ev.at, notebookPath: ev.notebookPath }],
      };
    case 'cell_started':
      return { ...n, cell: ev.cell, totalCells: ev.total, cellsDone: ev.cell };
    case 'cell_finished':
      return { ...n, cell: ev.cell, totalCells: ev.total, cellsDone: ev.cell + 1 };
    case 'node_output':
      return { ...n, ...appendOutput(n.lastOutput, n.outputOpen ?? false, ev.text) };
    case 'attempt_failed': {
      const attempts = n.attempts.map((a) =>
        a.attempt === ev.attempt ? { ...a, finishedAt: ev.at, error: ev.error, notebookPath: ev.notebookPath } : a,
      );
      return {
        ...n,
        attempts,
        error: ev.error,
        status: ev.retryInMs === undefined ? n.status : 'retrying',
        retryAt: ev.retryInMs === undefined ? undefined : Date.parse(ev.at) + ev.retryInMs,
      };
    }
    case 'branch_decided': {
      const branch: NodeState['branch'] = { chose: ev.chose, because: ev.because, operands: ev.operands };
      if (ev.rejected) branch.rejected = ev.rejected;
      return { ...n, branch };
    }
    case 'node_finished': {
      const attempts = n.attempts.map((a, i) =>
        i === n.attempts.length - 1 && !a.finishedAt ? { ...a, finishedAt: ev.at, error: ev.error } : a,
      );
      return {
        ...n,
        attempts,
        status: ev.status,
        outputs: ev.outputs,
        error: ev.error,
        skip: ev.skip,
        finishedAt: ev.at,
        durationMs: ev.durationMs,
        notebookPath: ev.notebookPath ?? n.notebookPath,
        reused: ev.reused,
        continueOnError: ev.continueOnError,
        retryAt: undefined,
      };
    }
  }
}

/**
 * Appends streamed text to the last lines. Kernels stream in arbitrary chunks, so a chunk may
 * end mid-line (the line stays open for the next chunk), and progress bars such as tqdm
 * redraw a line with '\r': what follows the last '\r' replaces the line, as a terminal shows it.
 */
function appendOutput(previous: string[], open: boolean, text: string): { lastOutput: string[]; outputOpen: boolean } {
  const lines = [...previous];
  const segments = text.replace(/\r\n/g, '\n').split('\n');
  let outputOpen = false;
  segments.forEach((segment, i) => {
    let current = i === 0 && open ? (lines.pop() ?? '') : '';
    const pieces = segment.split('\r');
    current += pieces[0];
    for (const piece of pieces.slice(1)) if (piece.length > 0) current = piece;
    if (current.length === 0) return;
    lines.push(current.slice(0, MAX_LINE_LENGTH));
    // Only the last segment lacks its newline.
    outputOpen = i === segments.length - 1;
  });
  return { lastOutput: lines.slice(-MAX_OUTPUT_LINES), outputOpen };
}

/** Counts of nodes by status. */
export function countStatuses(state: RunState): Partial<Record<NodeStatus, number>> {
  const counts: Partial<Record<NodeStatus, number>> = {};
  for (const n of Object.values(state.nodes)) counts[n.status] = (counts[n.status] ?? 0) + 1;
  return counts;
}
