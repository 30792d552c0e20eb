// Load-time checks of every expression: syntax, what it reads (declared, and upstream of where it
// is used), and CEL types against the declared params and outputs. Fills each Expr's `types`.
import type { Environment, ParseResult } from '@marcbachmann/cel-js';
import type { Diagnostic, SourcePos } from '../errors.js';
import { checkEnvironment, maxExpressionLength, type ExprScope } from './cel-env.js';
import type { ExprTypes } from './cel-values.js';
import { didYouMean } from './did-you-mean.js';
import { findReferences, findUnsafeMatches, type Reference } from './expr-references.js';
import { isDecisionNode } from './decision-nodes.js';
import type { NodeSpec, OutputType, ParamSpec, VarSpec } from './types.js';
import type { UpstreamIndex } from './upstream.js';

export type ExprKind = 'if' | 'when' | 'template';

export interface CheckedExpr {
  readonly diagnostics: Diagnostic[];
  /** Declared types of what it reads. */
  readonly types: ExprTypes;
}

export interface ExprSite {
  /** The node where the expression is written; undefined in `vars:` (which read params and run only). */
  readonly node: string | undefined;
  readonly kind: ExprKind;
  /** For messages: `node "validate" next[0].when`. */
  readonly where: string;
  readonly source: string;
  /** Position of character i of the expression in the file. */
  readonly posAt: (i: number) => SourcePos;
}

export interface ExprWorld {
  readonly params: Readonly<Record<string, ParamSpec>>;
  readonly vars: Readonly<Record<string, VarSpec>>;
  readonly nodes: Readonly<Record<string, NodeSpec>>;
  readonly upstream: UpstreamIndex;
}

const runFields = ['id', 'date', 'started_at', 'logical_date', 'trigger', 'lineage_id'];

/** Checks one expression where it is written. */
export function checkExpression(site: ExprSite, world: ExprWorld): CheckedExpr {
  const diagnostics: Diagnostic[] = [];
  const types: Record<string, OutputType> = {};
  const error = (at: number, message: string, hint?: string): void => {
    diagnostics.push({ severity: 'error', pos: site.posAt(at), message: `${site.where}: ${message}`, hint });
  };
  if (site.source.length > maxExpressionLength) {
    error(0, `the expression is ${site.source.length} characters long; the limit is ${maxExpressionLength}`);
    return { diagnostics, types };
  }
  let program: ParseResult;
  try {
    // Parsed by the typed environment it is checked in: its check() then needs no second parse.
    program = environmentFor(site, world).parse(site.source);
  } catch (e) {
    const err = e as { summary?: string; message: string; range?: { start: number } };
    error(err.range?.start ?? 0, `invalid expression: ${err.summary ?? err.message.split('\n')[0]}`);
    return { diagnostics, types };
  }
  for (const u of findUnsafeMatches(program.ast)) error(u.offset, u.reason, 'write a literal pattern without nested repetition');

  const readable = (id: string): boolean =>
    site.node !== undefined && ((site.kind === 'when' && id === site.node) || world.upstream.isUpstream(id, site.node));
  const refs = findReferences(program.ast);
  for (const ref of refs) checkReference(ref, site, world, readable, types, error);
  if (diagnostics.length) return { diagnostics, types };

  const result = program.check();
  if (!result.valid) {
    const err = result.error!;
    error(err.range?.start ?? 0, err.summary || err.message.split('\n')[0]!);
  } else if (site.kind !== 'template' && result.type !== 'bool' && result.type !== 'dyn') {
    error(0, `the condition gives ${result.type}, not a bool`, 'compare it, like `outputs.errors > 0`');
  }
  return { diagnostics, types };
}

const worldEnvironments = new WeakMap<ExprWorld, Map<string, Environment>>();

/**
 * The typed environment an expression is checked in: the params, every node of the workflow
 * with its declared outputs, and in `next[].when` the node's own outputs. Which nodes an
 * expression may read (upstream of it) is checked per reference above, so declaring them all
 * types every readable reference the same. One environment per workflow (and one per distinct
 * set of outputs a `when` reads): one per expression cost ≈0.2 ms each to build, 0.4 s of a
 * 1,000-node workflow's `flow validate` (measured).
 */
function environmentFor(site: ExprSite, world: ExprWorld): Environment {
  let envs = worldEnvironments.get(world);
  if (!envs) worldEnvironments.set(world, (envs = new Map()));
  const outputs = site.kind === 'when' && site.node !== undefined ? world.nodes[site.node]!.outputs : undefined;
  const key = outputs ? JSON.stringify(outputs) : '';
  let env = envs.get(key);
  if (!env) {
    const scope: ExprScope = {
      params: Object.fromEntries(Object.values(world.params).map((p) => [p.name, p.type])),
      vars: Object.fromEntries(Object.values(world.vars).map((v) => [v.name, v.type])),
      nodes: Object.fromEntries(Object.values(world.nodes).map((n) => [n.id, { outputs: n.outputs, matrix: n.matrix !== undefined }])),
      ...(outputs && { outputs }),
    };
    env = checkEnvironment(scope);
    envs.set(key, env);
  }
  return env;
}

function checkReference(
  ref: Reference,
  site: ExprSite,
  world: ExprWorld,
  readable: (id: string) => boolean,
  types: Record<string, OutputType>,
  error: (at: number, message: string, hint?: string) => void,
): void {
  const [first, second, third] = ref.fields;
  const at = (i: number): number => ref.offsets[Math.min(i, ref.offsets.length - 1)]!;
  if (first === undefined) return;
  switch (ref.root) {
    case 'vars': {
      if (site.node === undefined) {
        error(at(0), 'a var cannot read another var', 'write its expression out, over params and run');
        return;
      }
      const v = world.vars[first];
      if (!v) error(at(1), `unknown var "${first}"`, didYouMean(first, Object.keys(world.vars)) ?? 'define it under vars:');
      else types[`vars.${first}`] = v.type;
      return;
    }
    case 'matrix': {
      // An instance's values, read by its own params (rendered once per instance).
      const matrix = site.node === undefined ? undefined : world.nodes[site.node]!.matrix;
      const keys = matrix ? [...Object.keys(matrix.axes), ...(matrix.include ?? []).flatMap((e) => Object.keys(e))] : [];
      if (site.kind !== 'template' || site.node === undefined)
        error(
          at(0),
          'matrix.* can only be read in the params (and notebook:) of a matrix node',
          'read the instances downstream as nodes.<id>.by',
        );
      else if (!matrix) error(at(0), `node "${site.node}" has no matrix`, 'add `matrix:` to the node');
      else if (!keys.includes(first))
        error(at(1), `the matrix of node "${site.node}" has no "${first}"`, didYouMean(first, keys) ?? `it has ${keys.join(', ')}`);
      return;
    }
    case 'params': {
      const p = world.params[first];
      if (!p) {
        error(at(1), `unknown param "${first}"`, didYouMean(first, Object.keys(world.params)) ?? 'declare it under params:');
      } else types[`params.${first}`] = p.type;
      return;
    }
    case 'outputs': {
      if (site.kind !== 'when' || site.node === undefined) {
        error(at(0), 'outputs.* can only be read in next[].when', `read another node's outputs as nodes.<id>.outputs.${first}`);
        return;
      }
      if (isDecisionNode(world.nodes[site.node]!)) {
        error(at(0), 'a decision node runs no notebook, so it has no outputs.*', upstreamOutputHint(first, site.node, world));
        return;
      }
      const t = world.nodes[site.node]!.outputs[first];
      if (!t) {
        error(
          at(1),
          `node "${site.node}" declares no output "${first}"`,
          didYouMean(first, Object.keys(world.nodes[site.node]!.outputs)) ?? `declare it under nodes.${site.node}.outputs`,
        );
      } else types[`outputs.${first}`] = t;
      return;
    }
    case 'run':
      if (!runFields.includes(first))
        error(at(1), `unknown field run.${first}`, didYouMean(first, runFields) ?? `run has ${runFields.join(', ')}`);
      return;
    case 'nodes': {
      if (site.node === undefined) {
        error(
          at(0),
          'vars are set when the run starts: they can read params and run, not nodes',
          'read the node in the node params that need it',
        );
        return;
      }
      const node = world.nodes[first];
      if (!node) {
        error(
          at(1),
          `unknown node "${first}"`,
          didYouMean(first, Object.keys(world.nodes)) ?? `known nodes: ${Object.keys(world.nodes).join(', ')}`,
        );
        return;
      }
      if (!readable(first)) {
        error(
          at(1),
          `reads node "${first}", which is not upstream of node "${site.node}"`,
          `add "${first}" to the needs of "${site.node}"`,
        );
        return;
      }
      if (second === undefined || second === 'status') return;
      if (second === 'by' && node.matrix) return;
      if (second !== 'outputs') {
        error(at(2), `nodes.${first} has no field "${second}"`, `use nodes.${first}.outputs.<name> or nodes.${first}.status`);
        return;
      }
      if (third === undefined) return;
      const t = node.outputs[third];
      if (!t) {
        error(
          at(3),
          `node "${first}" declares no output "${third}"`,
          didYouMean(third, Object.keys(node.outputs)) ?? `declare it under nodes.${first}.outputs`,
        );
      } else types[`nodes.${first}.outputs.${third}`] = t;
    }
  }
}

/** `read it from upstream as nodes.audit.outputs.status`: the upstream nodes that declare the output. */
function upstreamOutputHint(name: string, node: string, world: ExprWorld): string {
  const declaring = Object.values(world.nodes)
    .filter((n) => Object.hasOwn(n.outputs, name) && world.upstream.isUpstream(n.id, node))
    .map((n) => `nodes.${n.id}.outputs.${name}`);
  if (declaring.length === 0) return `read an upstream node's outputs as nodes.<id>.outputs.${name}`;
  return `read it from upstream as ${declaring.join(' or ')}`;
}
