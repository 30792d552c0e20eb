// Reads a workflow file into the immutable, typed Workflow, or throws WorkflowError with every problem
// (the notebooks' own checks are plugged in from above: run/load-workflow.ts).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Diagnostic } from '../errors.js';
import { UsageError, WorkflowError } from '../errors.js';
import { buildNodes } from './build-nodes.js';
import { buildParams } from './build-params.js';
import { buildVars } from './build-vars.js';
import { buildNotify } from './build-notify.js';
import { buildSchedule } from './build-schedule.js';
import { buildServers, checkNodeServers } from './build-servers.js';
import { checkAllExpressions } from './collect-expressions.js';
import { registerTemplateTypes, exprTypes } from './evaluate-expr.js';
import { workflowSchema } from './schema.js';
import { schemaDiagnostics } from './schema-issues.js';
import { SourceMap } from './source-map.js';
import type { NodeSpec, Workflow } from './types.js';
import { upstreamIndex } from './upstream.js';

export interface LoadOptions {
  /**
   * More checks of the nodes, whose problems are reported with the workflow's own (e.g. that each
   * notebook exists and defines the params it is passed: src/notebook/check-notebooks.ts, which
   * run/load-workflow.ts plugs in; the workflow layer reads no notebook itself).
   */
  checkNodes?: (nodes: NodeSpec[], src: SourceMap) => Promise<Diagnostic[]>;
}

export interface Loaded {
  workflow: Workflow;
  /** Problems that do not stop a run (unknown notebook parameters, unreachable branches…). */
  warnings: Diagnostic[];
}

export async function loadWorkflow(file: string, opts: LoadOptions = {}): Promise<Loaded> {
  const abs = resolve(file);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read workflow ${file}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  return { ...(await parseWorkflow(text, abs, { ...opts, displayName: file })) };
}

/** Like loadWorkflow, from text already read; `file` is where relative paths start from. */
export async function parseWorkflow(text: string, file: string, opts: LoadOptions & { displayName?: string } = {}): Promise<Loaded> {
  const abs = resolve(file);
  const src = new SourceMap(text, opts.displayName ?? file);
  const diags: Diagnostic[] = [...src.diagnostics];
  const fail = (): never => {
    throw new WorkflowError(sortDiagnostics(diags));
  };
  if (diags.some((d) => d.severity === 'error')) fail();

  let raw: unknown;
  try {
    raw = src.doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    diags.push({ severity: 'error', pos: src.at(0), message: `YAML: ${(e as Error).message}` });
    fail();
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    diags.push({
      severity: 'error',
      pos: src.at(0),
      message: 'a workflow must be a mapping',
      hint: 'start with `name:` and `nodes:`',
    });
    fail();
  }
  // Top-level `x-…` keys are the user's own (a place for YAML anchors, as in docker compose).
  raw = Object.fromEntries(Object.entries(raw as object).filter(([k]) => !k.startsWith('x-')));
  const parsed = workflowSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    diags.push(...schemaDiagnostics(parsed.error.issues, src, raw));
    fail();
  }
  const rawWf = parsed.data!;
  const params = buildParams(rawWf.params ?? {}, src, diags, dirname(abs));
  const vars = buildVars(rawWf.vars ?? {}, src, diags);
  const notify = rawWf.notify ? buildNotify(rawWf.notify, src, diags) : undefined;
  const schedule = rawWf.schedule ? buildSchedule(rawWf.schedule, params, src, diags) : undefined;
  const servers = rawWf.servers ? buildServers(rawWf.servers, dirname(abs), src, diags) : undefined;
  let nodes = buildNodes(rawWf, abs, src, diags);
  checkNodeServers(nodes, servers, src, diags);
  if (Object.keys(nodes).length === 0) {
    diags.push({ severity: 'error', pos: src.valuePos(['nodes']), message: 'nodes: the workflow has no nodes' });
  }
  nodes = checkAllExpressions({ params, vars, nodes, upstream: upstreamIndex(nodes) }, src, diags);
  if (opts.checkNodes) diags.push(...(await opts.checkNodes(Object.values(nodes), src)));
  if (diags.some((d) => d.severity === 'error')) fail();

  const workflow: Workflow = deepFreeze({
    name: rawWf.name,
    ...(rawWf.description !== undefined && { description: rawWf.description }),
    file: abs,
    hash: createHash('sha256').update(text).digest('hex'),
    params,
    vars,
    concurrency: rawWf.concurrency ?? 4,
    ...(rawWf.fork !== undefined && { fork: rawWf.fork }),
    ...(rawWf.preload && rawWf.preload.length > 0 && { preload: rawWf.preload }),
    nodes,
    ...(notify && notify.length > 0 && { notify }),
    ...(schedule && schedule.length > 0 && { schedule }),
    ...(servers && Object.keys(servers).length > 0 && { servers }),
  });
  const types = exprTypes(workflow);
  for (const n of Object.values(workflow.nodes)) registerTemplateTypes(n.params, types);
  return { workflow, warnings: sortDiagnostics(diags) };
}

function sortDiagnostics(diags: Diagnostic[]): Diagnostic[] {
  return diags
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (a.d.pos?.line ?? 0) - (b.d.pos?.line ?? 0) || (a.d.pos?.col ?? 0) - (b.d.pos?.col ?? 0) || a.i - b.i)
    .map((x) => x.d);
}

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}
