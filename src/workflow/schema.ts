// The workflow file's shape as a zod schema: validates the raw YAML and is the source of `flow schema`.
// It holds no transforms, so that z.toJSONSchema describes exactly what a file may contain;
// build-workflow.ts turns the validated raw document into the typed Workflow.
import * as z from 'zod';
import { durationPattern } from './duration.js';
import { notifyEvents, webhookFormats } from './notify-kinds.js';
import { catchupPolicies, overlapPolicies } from './schedule-kinds.js';

export const paramTypes = ['string', 'integer', 'number', 'boolean', 'list', 'object'] as const;
export const outputTypes = [...paramTypes, 'any'] as const;
export const errorClasses = ['error', 'timeout', 'kernel_died', 'kernel_start', 'server_lost'] as const;
export const runIfRules = [
  'none_failed_min_one_success',
  'all_success',
  'all_done',
  'one_success',
  'one_failed',
  'all_failed',
  'none_failed',
] as const;

/** Names that a notebook receives as variables: Python identifiers. */
export const identifierPattern = '^[A-Za-z_][A-Za-z0-9_]*$';

const duration = z
  .union([z.number().nonnegative(), z.string().regex(new RegExp(durationPattern))])
  .describe('A duration: 500ms, 90s, 10m, 1h, 1h30m, or a number of seconds');

const retry = z
  .strictObject({
    attempts: z.int().min(1).max(100).describe('All attempts, the first included (1 = no retry)').optional(),
    delay: duration.optional(),
    backoff: z.number().min(1).max(100).describe('Multiplier of the delay after each attempt').optional(),
    max_delay: duration.optional(),
    on: z.array(z.enum(errorClasses)).describe('Error classes that are retried').optional(),
  })
  .describe('Retry policy');

const stringList = z.union([z.string(), z.array(z.string())]);
const envMap = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

const param = z
  .strictObject({
    type: z.enum(paramTypes).optional().describe('Inferred from the default when omitted; else string'),
    default: z.unknown().optional(),
    enum: z.array(z.unknown()).min(1).optional(),
    required: z.boolean().optional().describe('Defaults to true when there is no default'),
    description: z.string().optional(),
    secret: z.boolean().optional().describe('A value that reaches the kernel and nowhere else (masked as *** in every record and output)'),
    from_env: z.string().optional().describe('A secret: the environment variable holding it. Default: FLOW_SECRET_<NAME>'),
    from_file: z.string().optional().describe('A secret: a file holding it (relative to the workflow file)'),
  })
  .describe('A run parameter; -p name=value and -f params.yml override its default');

const branch = z.strictObject({
  when: z
    .string()
    .optional()
    .describe('A CEL condition over outputs.* (in a decision node: nodes.<id>.outputs.*); no `when` means otherwise'),
  goto: z.string().describe('The node to run next'),
});

const nodeCommon = {
  kernel: z.string().min(1).optional(),
  timeout: duration.optional().describe('Whole-notebook wall clock'),
  cell_timeout: duration.optional(),
  retry: retry.optional(),
  cwd: z.string().optional().describe('Working directory, relative to the workflow file'),
  env: envMap.optional(),
  continue_on_error: z.boolean().optional(),
  server: z.string().optional().describe('Run on this server of `servers:` (default: the least-loaded one with room)'),
};

export const nodeKeys = ['notebook', 'needs', 'params', 'outputs', 'next', 'if', 'run_if', 'matrix', ...Object.keys(nodeCommon)];

const node = z.strictObject({
  notebook: z
    .string()
    .min(1)
    .optional()
    .describe('Path of the notebook, relative to the workflow file; without one, a decision node: `next` decides from upstream outputs'),
  needs: stringList.optional(),
  params: z.record(z.string(), z.unknown()).optional().describe('Values may hold ${{ expr }} templates'),
  outputs: z.record(z.string(), z.enum(outputTypes)).optional(),
  next: z.array(branch).optional().describe('The first branch whose `when` holds is taken'),
  if: z.string().optional().describe('A CEL condition; false skips the node'),
  run_if: z.enum(runIfRules).optional(),
  matrix: z
    .record(z.string(), z.union([z.array(z.unknown()).min(1), z.int().min(1)]))
    .optional()
    .describe('Axis → values; `max_parallel: N` caps instances running at once'),
  ...nodeCommon,
});

const emailChannel = z.strictObject({
  to: stringList.describe('Recipients'),
  cc: stringList.optional(),
  from: z.string().optional().describe('Default: FLOW_SMTP_FROM, else flow@<host>'),
  subject: z.string().optional().describe('Replaces the "[flow]" at the start of the subject'),
});

const webhookChannel = z.strictObject({
  url_env: z.string().regex(new RegExp(identifierPattern)).describe('The environment variable holding the URL (a credential)'),
  format: z.enum(webhookFormats).optional().describe("slack or teams incoming webhooks, or flow's own json (the default)"),
});

const notifyChannel = z
  .strictObject({
    on: z
      .union([z.enum(notifyEvents), z.array(z.enum(notifyEvents)).min(1)])
      .optional()
      .describe('When to send: failure (the default), success, always, or recovered (the first success after a failure)'),
    email: emailChannel.optional().describe('Mail through the SMTP server of FLOW_SMTP_URL (or FLOW_SMTP_HOST…); never credentials here'),
    webhook: webhookChannel.optional(),
    timeout: duration.optional().describe('Per attempt; 3 attempts. Default 10s'),
  })
  .describe('A notification channel: one of email or webhook');

const serverSpec = z
  .strictObject({
    url: z
      .string()
      .optional()
      .describe("An existing Jupyter Server, JupyterHub user server or Enterprise Gateway; without one, flow's embedded server"),
    token_env: z.string().regex(new RegExp(identifierPattern)).optional().describe('The environment variable holding its token'),
    max_kernels: z.int().min(1).max(10_000).optional().describe('Kernels it may run at once for this run (default 4)'),
    root_dir: z
      .string()
      .optional()
      .describe("Its root folder as flow sees it, when it shares flow's filesystem: kernels then start in the notebooks' folders"),
  })
  .describe('A Jupyter server of the pool');

const scheduleTrigger = z
  .strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/)
      .optional()
      .describe('Names the trigger in logs and in the fire history (default: its cron and time zone)'),
    cron: z
      .string()
      .min(1)
      .describe('5 or 6 fields (seconds first, optional), with L, W and #, or @hourly, @daily, @weekly, @monthly, @yearly'),
    timezone: z.string().optional().describe("An IANA time zone, e.g. Europe/London. Default: the machine's"),
    params: z.record(z.string(), z.unknown()).optional().describe("Values of the workflow's params for runs of this trigger"),
    catchup: z.enum(catchupPolicies).optional().describe('Fire times missed while no scheduler ran: none, the latest (default), or all'),
    max_catchup: z.int().min(1).max(1000).optional().describe('At most this many missed fire times run under catchup: all (default 10)'),
    overlap: z
      .enum(overlapPolicies)
      .optional()
      .describe("A fire time while the workflow's previous run still runs: skip it (default), queue it, cancel_running, or allow both"),
  })
  .describe('A trigger of `flow schedule`');

export const workflowSchema = z
  .strictObject({
    version: z.literal(1).optional(),
    name: z.string().regex(/^[a-z0-9_-]+$/),
    description: z.string().optional(),
    params: z.record(z.string(), param).optional(),
    vars: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Named values and ${{ }} templates over params and run, defined once and read as ${{ vars.name }}'),
    defaults: z
      .strictObject({
        ...nodeCommon,
        params: z.record(z.string(), z.unknown()).optional().describe("Params given to every node; a node's own value wins"),
      })
      .optional(),
    concurrency: z.int().min(1).max(1024).optional(),
    fork: z
      .boolean()
      .optional()
      .describe('Fork each Python kernel from a process that has imported ipykernel (default true); false launches every kernel anew'),
    preload: z
      .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/))
      .optional()
      .describe('Python modules imported once, before kernels are forked (e.g. [pandas, numpy]): each node still gets a fresh process'),
    notify: z.array(notifyChannel).optional().describe('Where to say how a run ended'),
    schedule: z.array(scheduleTrigger).optional().describe('When `flow schedule` runs the workflow'),
    servers: z
      .record(z.string().regex(/^[A-Za-z0-9_-]+$/), serverSpec)
      .optional()
      .describe('A pool of Jupyter servers, by name; nodes go to the least-loaded one with room, or to the one `server:` names'),
    nodes: z.record(z.string(), node),
  })
  .describe('A flow workflow: Jupyter notebooks run as a DAG');

export type RawWorkflow = z.infer<typeof workflowSchema>;
export type RawNode = RawWorkflow['nodes'][string];
export type RawParam = NonNullable<RawWorkflow['params']>[string];
export type RawRetry = z.infer<typeof retry>;

/** Known keys of each kind of mapping, for "did you mean" on unknown keys. */
export const knownKeys = {
  top: Object.keys(workflowSchema.shape),
  node: nodeKeys,
  defaults: [...Object.keys(nodeCommon), 'params'],
  param: Object.keys(param.shape),
  retry: Object.keys(retry.shape),
  branch: Object.keys(branch.shape),
  notify: Object.keys(notifyChannel.shape),
  email: Object.keys(emailChannel.shape),
  webhook: Object.keys(webhookChannel.shape),
  trigger: Object.keys(scheduleTrigger.shape),
  server: Object.keys(serverSpec.shape),
};
