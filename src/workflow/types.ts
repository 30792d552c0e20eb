// The validated, immutable Workflow: what every later layer reads. Produced only by loadWorkflow.
import type { SourcePos } from '../errors.js';

/** Milliseconds. Written in YAML as `90s`, `10m`, `1h`, `500ms` or a number of seconds. */
export type Duration = number;

export type ParamType = 'string' | 'integer' | 'number' | 'boolean' | 'list' | 'object';
export type OutputType = ParamType | 'any';

/** Why an attempt failed; retry policies select on it. */
export type ErrorClass = 'error' | 'timeout' | 'kernel_died' | 'kernel_start' | 'server_lost';

/** Airflow's trigger rules (DESIGN.md §3). */
export type RunIf =
  | 'none_failed_min_one_success'
  | 'all_success'
  | 'all_done'
  | 'one_success'
  | 'one_failed'
  | 'all_failed'
  | 'none_failed';

export interface ParamSpec {
  readonly name: string;
  readonly type: ParamType;
  readonly default?: unknown;
  /** True when the param has no default: the run must pass it. */
  readonly required: boolean;
  readonly enum?: readonly unknown[];
  readonly description?: string;
  /** Set for a secret param: where its value comes from (it is never in the workflow or a record). */
  readonly secret?: SecretSource;
  readonly pos: SourcePos;
}

/** Where a secret param's value is read, in this order after `-s` on the command line. */
export interface SecretSource {
  /** A file holding the value (absolute), its trailing newline dropped. */
  readonly fromFile?: string;
  /** The environment variable holding the value. @default FLOW_SECRET_<NAME> */
  readonly fromEnv: string;
}

export interface RetryPolicy {
  /** All attempts, the first included. @default 1 */
  readonly attempts: number;
  /** @default 1000 */
  readonly delay: Duration;
  /** @default 2 */
  readonly backoff: number;
  /** @default 60000 */
  readonly maxDelay: Duration;
  /** @default ['kernel_died', 'timeout', 'kernel_start', 'server_lost'] */
  readonly on: readonly ErrorClass[];
}

/** A CEL expression as written, with where it was written. */
export interface Expr {
  readonly source: string;
  readonly pos: SourcePos;
  /**
   * Declared types of the paths it reads (`params.year` → 'integer'), filled by loadWorkflow, so
   * that evaluation gives CEL an int or a double as the workflow declared.
   */
  readonly types?: Readonly<Record<string, OutputType>>;
}

/** One `next` entry: the first branch whose `when` holds (or has none) is taken. */
export interface Branch {
  readonly when?: Expr;
  readonly goto: string;
  readonly pos: SourcePos;
}

export interface MatrixSpec {
  /** Axis name → values; instances are the cartesian product in key order. */
  readonly axes: Readonly<Record<string, readonly unknown[]>>;
  /** GitHub Actions' `include`: extra keys for the combinations they match, or combinations of their own. */
  readonly include?: readonly Readonly<Record<string, unknown>>[];
  /** GitHub Actions' `exclude`: combinations matching one of these are dropped. */
  readonly exclude?: readonly Readonly<Record<string, unknown>>[];
  /** @default the run's concurrency */
  readonly maxParallel?: number;
}

export interface NodeSpec {
  readonly id: string;
  /**
   * Absolute path of the input notebook. Absent for a decision node, which runs no notebook and
   * decides its `next` from upstream outputs alone (see isDecisionNode in decision-nodes.ts).
   */
  readonly notebook?: string;
  /** As written in the file, for messages; absent for a decision node. */
  readonly notebookAsWritten?: string;
  /** A matrix node whose `notebook:` uses `${{ matrix.<axis> }}`: each instance's notebook, in matrix order. */
  readonly instanceNotebooks?: readonly string[];
  readonly needs: readonly string[];
  /**
   * Parameters passed to the notebook. Values are as written: strings may hold `${{ expr }}`
   * templates, rendered by renderTemplate when the node starts.
   */
  readonly params: Readonly<Record<string, unknown>>;
  /** Params that came from `defaults.params` (the node did not set them): their positions are there. */
  readonly defaultedParams?: readonly string[];
  readonly outputs: Readonly<Record<string, OutputType>>;
  readonly next: readonly Branch[];
  readonly if?: Expr;
  /** @default 'none_failed_min_one_success' */
  readonly runIf: RunIf;
  /** Kernel name. @default 'python3' (or the notebook's kernelspec) */
  readonly kernel?: string;
  /** Whole-notebook wall clock. */
  readonly timeout?: Duration;
  readonly cellTimeout?: Duration;
  readonly retry: RetryPolicy;
  /** Absolute working directory of the kernel. @default the notebook's folder */
  readonly cwd?: string;
  readonly env: Readonly<Record<string, string>>;
  /** @default false */
  readonly continueOnError: boolean;
  /** The server of the pool (`servers:`) it must run on. */
  readonly server?: string;
  readonly matrix?: MatrixSpec;
  readonly pos: SourcePos;
}

export interface Workflow {
  readonly name: string;
  readonly description?: string;
  /** Absolute path of the workflow file. */
  readonly file: string;
  /** sha256 of the file's text. */
  readonly hash: string;
  readonly params: Readonly<Record<string, ParamSpec>>;
  /** `vars:`, in file order: read as `${{ vars.name }}`, evaluated once per run over params and run. */
  readonly vars?: Readonly<Record<string, VarSpec>>;
  /** @default 4 */
  readonly concurrency: number;
  /** `fork: false`: every kernel is launched anew, none forked (python/flow_jupyter/forking.py). */
  readonly fork?: boolean;
  /** `preload:`: modules the fork server imports before it forks the run's kernels. */
  readonly preload?: readonly string[];
  /** In file order. */
  readonly nodes: Readonly<Record<string, NodeSpec>>;
  /** `notify:`, in file order; absent when there is none. */
  readonly notify?: readonly NotifyChannel[];
  /** `schedule:`, in file order; absent when there is none. */
  readonly schedule?: readonly ScheduleTrigger[];
  /** `servers:`, by name, in file order; absent when there is none (the run's one server). */
  readonly servers?: Readonly<Record<string, ServerSpec>>;
}

/** One Jupyter server of a run's pool. */
export interface ServerSpec {
  readonly name: string;
  /** Absent: the run's own server (embedded, unless the run was given another). */
  readonly url?: string;
  readonly tokenEnv?: string;
  /** @default 4 */
  readonly maxKernels: number;
  /** Absolute: the server's root folder as flow sees it, when the two share a filesystem. */
  readonly rootDir?: string;
  readonly pos: SourcePos;
}

/** One `schedule:` trigger of `flow schedule`. */
export interface ScheduleTrigger {
  /** Its name in the fire history: `name:`, else `<cron> <timezone>`. */
  readonly key: string;
  readonly cron: string;
  /** IANA; the machine's when the workflow gave none. */
  readonly timezone: string;
  /** Param values for its runs (checked against the params at load). */
  readonly params: Readonly<Record<string, unknown>>;
  readonly catchup: 'none' | 'latest' | 'all';
  readonly maxCatchup: number;
  readonly overlap: 'skip' | 'queue' | 'cancel_running' | 'allow';
  readonly pos: SourcePos;
}

export type NotifyOn = 'failure' | 'success' | 'always' | 'recovered';

/** One `notify:` channel: an email or a webhook, and when it is used. */
export interface NotifyChannel {
  /** For messages and the record: `email ops@example.ac.uk` or `webhook $SLACK_URL (slack)`. */
  readonly name: string;
  readonly on: readonly NotifyOn[];
  readonly email?: { readonly to: readonly string[]; readonly cc: readonly string[]; readonly from?: string; readonly subject?: string };
  readonly webhook?: { readonly urlEnv: string; readonly format: 'slack' | 'teams' | 'json' };
  /** Per attempt. @default 10000 */
  readonly timeoutMs: number;
  readonly pos?: SourcePos;
}

/** One of `vars:`: a value, or a template over params and run. */
export interface VarSpec {
  readonly name: string;
  /** As written (a template is rendered at run start). */
  readonly value: unknown;
  /** What expressions see it as: a whole-value template is `any`, a mixed one a string. */
  readonly type: OutputType;
  readonly pos: SourcePos;
}

/** What an expression can read (DESIGN.md §2). */
export interface ExprContext {
  params: Record<string, unknown>;
  /** `by`: a matrix node's instances' outputs keyed by the value of its first axis. */
  nodes: Record<string, { outputs: Record<string, unknown>; status: string; by?: Record<string, Record<string, unknown>> }>;
  /** The node's own outputs, inside `next`. */
  outputs?: Record<string, unknown>;
  /** `logical_date` is a CEL timestamp: `run.logical_date.getMonth()` (0-based, UTC; or `getMonth('Europe/London')`). */
  run: { id: string; date: string; started_at: string; logical_date: Date; trigger: string; lineage_id: string };
  /** `vars:`, rendered at run start. */
  vars?: Record<string, unknown>;
  /** A matrix instance's values, while its params are rendered. */
  matrix?: Record<string, unknown>;
  /**
   * Declared types of `params.x`, `nodes.a.outputs.b` and `outputs.c` (see exprTypes in
   * workflow/evaluate-expr.ts); without them a whole number is read as a CEL int.
   */
  types?: Readonly<Record<string, OutputType>>;
}
