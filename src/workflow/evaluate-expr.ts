// Run-time evaluation: `if`/`when` conditions (with the operand values, for skip reasons) and
// `${{ }}` templates in node params. Errors become WorkflowErrors at the expression's position.
import type { ParseResult } from '@marcbachmann/cel-js';
import { WorkflowError, type SourcePos } from '../errors.js';
import { runtimeProgram } from './cel-env.js';
import { fromCel, interpolate, toCel, UnsafeIntegerError, type ExprTypes } from './cel-values.js';
import { findReferences, referenceKey } from './expr-references.js';
import { scanTemplates, wholeTemplate } from './templates.js';
import type { Expr, ExprContext, OutputType, Workflow } from './types.js';

/** Declared types of every `params.x` and `nodes.a.outputs.b` of a workflow, for ExprContext.types. */
export function exprTypes(workflow: Workflow, node?: string): ExprTypes {
  const types: Record<string, ExprTypes[string]> = {};
  for (const p of Object.values(workflow.params)) types[`params.${p.name}`] = p.type;
  for (const v of Object.values(workflow.vars ?? {})) types[`vars.${v.name}`] = v.type;
  for (const n of Object.values(workflow.nodes)) {
    for (const [k, t] of Object.entries(n.outputs)) types[`nodes.${n.id}.outputs.${k}`] = t;
  }
  if (node) for (const [k, t] of Object.entries(workflow.nodes[node]?.outputs ?? {})) types[`outputs.${k}`] = t;
  return types;
}

// loadWorkflow registers each node's params object, so that renderTemplate(node.params, ctx)
// knows the declared types without the caller passing them.
const templateTypes = new WeakMap<object, ExprTypes>();
export function registerTemplateTypes(params: object, types: ExprTypes): void {
  templateTypes.set(params, types);
}

/** What a program reads of `nodes`: the ids it names, or 'all' (`nodes` as a whole, a computed key). */
type NodeReads = readonly string[] | 'all';
const nodeReads = new WeakMap<ParseResult, NodeReads>();

function nodesRead(program: ParseResult): NodeReads {
  let reads = nodeReads.get(program);
  if (!reads) {
    const ids = new Set<string>();
    for (const ref of findReferences(program.ast)) {
      if (ref.root !== 'nodes') continue;
      if (ref.fields.length === 0) {
        reads = 'all';
        break;
      }
      ids.add(ref.fields[0]!);
    }
    reads ??= [...ids];
    nodeReads.set(program, reads);
  }
  return reads;
}

/**
 * The context as CEL sees it. Only the nodes the program names are converted: converting every
 * finished node at each evaluation made a 10,000-node run quadratic. A node the program names but
 * that has no entry yet stays absent, as before.
 */
function celContext(program: ParseResult, ctx: ExprContext, typeOf: (key: string) => OutputType | undefined): Record<string, unknown> {
  const typed = (prefix: string, values: Record<string, unknown> | undefined): Record<string, unknown> =>
    Object.fromEntries(Object.entries(values ?? {}).map(([k, v]) => [k, toCel(v, typeOf(`${prefix}${k}`))]));
  const reads = nodesRead(program);
  const ids = reads === 'all' ? Object.keys(ctx.nodes) : reads.filter((id) => Object.hasOwn(ctx.nodes, id));
  return {
    params: typed('params.', ctx.params),
    vars: typed('vars.', ctx.vars),
    nodes: Object.fromEntries(
      ids.map((id) => [
        id,
        {
          status: ctx.nodes[id]!.status,
          outputs: typed(`nodes.${id}.outputs.`, ctx.nodes[id]!.outputs),
          ...(ctx.nodes[id]!.by && { by: toCel(ctx.nodes[id]!.by) }),
        },
      ]),
    ),
    outputs: typed('outputs.', ctx.outputs),
    // logical_date stays a Date: CEL sees a timestamp (toCel would make it a string).
    run: { ...(toCel(ctx.run) as Record<string, unknown>), logical_date: ctx.run.logical_date },
    matrix: toCel(ctx.matrix ?? {}),
  };
}

function evaluate(
  source: string,
  ctx: ExprContext,
  typeOf: (key: string) => OutputType | undefined,
  pos: SourcePos | undefined,
  what: string,
): unknown {
  try {
    const program = runtimeProgram(source);
    return fromCel(program(celContext(program, ctx, typeOf)));
  } catch (e) {
    const err = e as { summary?: string; message: string };
    const message = e instanceof UnsafeIntegerError ? err.message : (err.summary ?? err.message.split('\n')[0]);
    throw new WorkflowError([
      {
        severity: 'error',
        ...(pos && { pos }),
        message: `${what} \`${source}\` failed: ${message}`,
        hint: e instanceof UnsafeIntegerError ? 'convert it with string(…) or double(…)' : undefined,
      },
    ]);
  }
}

function lookup(ctx: ExprContext, path: string[]): unknown {
  let v: unknown = ctx;
  for (const p of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, p)) return undefined;
    v = (v as Record<string, unknown>)[p];
  }
  return v;
}

/**
 * Evaluates an `if:` or `when:` condition. `operands` holds the value of every `params.x`,
 * `nodes.a.outputs.b`, `nodes.a.status` and `outputs.c` it reads (for skip reasons).
 * Throws WorkflowError when evaluation fails or the result is not a boolean.
 */
export function evaluateCondition(expr: Expr, ctx: ExprContext): { value: boolean; operands: Record<string, unknown> } {
  // As { ...ctx.types, ...expr.types } would say, without copying ctx.types at each evaluation.
  const own = expr.types;
  const typeOf = (key: string): OutputType | undefined => (own && Object.hasOwn(own, key) ? own[key] : ctx.types?.[key]);
  const value = evaluate(expr.source, ctx, typeOf, expr.pos, 'condition');
  if (typeof value !== 'boolean') {
    throw new WorkflowError([
      { severity: 'error', pos: expr.pos, message: `condition \`${expr.source}\` gave ${JSON.stringify(value)}, not true or false` },
    ]);
  }
  const operands: Record<string, unknown> = {};
  for (const ref of findReferences(runtimeProgram(expr.source).ast)) {
    if (ref.root === 'run') continue;
    const depth = ref.root === 'nodes' ? (ref.fields[1] === 'status' ? 2 : 3) : 1;
    if (ref.fields.length < depth) continue;
    const path = [ref.root, ...ref.fields.slice(0, depth)];
    const v = lookup(ctx, path);
    if (v !== undefined) operands[referenceKey(ref, depth)] = v;
  }
  return { value, operands };
}

/**
 * Renders `${{ }}` templates deep inside lists and objects. A string that is exactly one template
 * keeps the expression's type (an int stays a number); otherwise results are interpolated.
 * Integers come back as numbers; past 2^53 that would lose precision, so it throws instead.
 * Pass a node's whole `params` (or set ctx.types) so that numbers get their declared CEL types.
 */
export function renderTemplate(value: unknown, ctx: ExprContext, types?: ExprTypes): unknown {
  const t = types ?? ctx.types ?? (value !== null && typeof value === 'object' ? templateTypes.get(value) : undefined) ?? {};
  if (typeof value === 'string') {
    const scan = scanTemplates(value);
    const pos = undefined;
    if ('error' in scan) throw new WorkflowError([{ severity: 'error', message: `template ${JSON.stringify(value)}: ${scan.error}` }]);
    const whole = wholeTemplate(value, scan.parts);
    const typeOf = (key: string): OutputType | undefined => t[key];
    if (whole) return evaluate(whole.source, ctx, typeOf, pos, 'template');
    let out = '';
    let last = 0;
    for (const part of scan.parts) {
      out += value.slice(last, part.start) + interpolate(evaluate(part.source, ctx, typeOf, pos, 'template'));
      last = part.end;
    }
    return out + value.slice(last);
  }
  if (Array.isArray(value)) return value.map((v) => renderTemplate(v, ctx, t));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderTemplate(v, ctx, t)]));
  }
  return value;
}
