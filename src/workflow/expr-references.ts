// What an expression reads: the `params.x`, `nodes.a.outputs.b`, `nodes.a.status`, `outputs.c`
// and `run.x` references in its AST, found by walking member chains down to their root name.
import type { ASTNode } from '@marcbachmann/cel-js';

export interface Reference {
  /** The root variable: params, vars, nodes, outputs, run or matrix. */
  readonly root: 'params' | 'vars' | 'nodes' | 'outputs' | 'run' | 'matrix';
  /** Field names after the root, as far as they are static (`nodes["b-x"]` counts). */
  readonly fields: readonly string[];
  /** Offsets of each field in the expression (the root's at index 0). */
  readonly offsets: readonly number[];
}

const roots = new Set(['params', 'vars', 'nodes', 'outputs', 'run', 'matrix']);
// Macros bind their first argument as a local variable, which may shadow a root name.
const macros = new Set(['all', 'exists', 'exists_one', 'map', 'filter', 'bind', 'transformList', 'transformMap']);

function isNode(x: unknown): x is ASTNode {
  return x !== null && typeof x === 'object' && typeof (x as { op?: unknown }).op === 'string' && 'args' in x;
}

/** A member chain `root.a["b"].c` as [root, a, b, c] with offsets, or undefined. */
function chain(n: ASTNode, bound: ReadonlySet<string>): { names: string[]; offsets: number[] } | undefined {
  if (n.op === 'id') return bound.has(n.args) ? undefined : { names: [n.args], offsets: [n.start] };
  if (n.op === '.' || n.op === '.?') {
    const inner = chain(n.args[0], bound);
    // `pos` of a select is where the field name starts.
    return inner && { names: [...inner.names, n.args[1]], offsets: [...inner.offsets, n.pos] };
  }
  if (n.op === '[]' || n.op === '[?]') {
    const [obj, index] = n.args;
    const inner = chain(obj, bound);
    if (inner && index.op === 'value' && typeof index.args === 'string') {
      return { names: [...inner.names, index.args], offsets: [...inner.offsets, index.start] };
    }
    return inner && { names: inner.names, offsets: inner.offsets };
  }
  return undefined;
}

/** Every reference to a root variable, outermost chains only. */
export function findReferences(ast: ASTNode): Reference[] {
  const refs: Reference[] = [];
  const walk = (n: ASTNode, bound: ReadonlySet<string>): void => {
    const c = chain(n, bound);
    if (c && roots.has(c.names[0]!)) {
      refs.push({ root: c.names[0] as Reference['root'], fields: c.names.slice(1), offsets: c.offsets });
      // A dynamic index inside the chain (`params.list[i]`) still has references of its own.
      if (n.op === '[]' || n.op === '[?]') walkChildren(n.args[1], bound);
      return;
    }
    if (n.op === 'rcall' && macros.has(n.args[0]) && n.args[2][0]?.op === 'id') {
      walk(n.args[1], bound);
      const inner = new Set(bound).add(n.args[2][0].args as string);
      for (const a of n.args[2].slice(1)) walk(a, inner);
      return;
    }
    walkChildren(n.args, bound);
  };
  const walkChildren = (x: unknown, bound: ReadonlySet<string>): void => {
    if (isNode(x)) walk(x, bound);
    else if (Array.isArray(x)) for (const y of x) walkChildren(y, bound);
  };
  walk(ast, new Set());
  return refs;
}

/** The dotted name of a reference, as operands are keyed: `nodes.validate.outputs.errors`. */
export function referenceKey(r: Reference, depth = r.fields.length): string {
  return [r.root, ...r.fields.slice(0, depth)].join('.');
}

/**
 * Regular expressions that can backtrack for ever in JavaScript (CEL's `matches` is RE2 elsewhere):
 * a pattern that is not a literal, or a quantified group that itself contains a quantifier.
 */
export function findUnsafeMatches(ast: ASTNode): { offset: number; reason: string }[] {
  const found: { offset: number; reason: string }[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!isNode(x)) return;
    if ((x.op === 'rcall' || x.op === 'call') && x.args[0] === 'matches') {
      const args = x.op === 'rcall' ? x.args[2] : x.args[1];
      const pattern = args[args.length - 1];
      if (pattern?.op !== 'value' || typeof pattern.args !== 'string') {
        found.push({ offset: x.start, reason: 'matches() needs a literal pattern' });
      } else if (/\([^)]*[+*}][^)]*\)[+*{]/.test(pattern.args)) {
        found.push({
          offset: pattern.start,
          reason: `the pattern ${JSON.stringify(pattern.args)} nests quantifiers and could run for ever`,
        });
      }
    }
    walk(x.args);
  };
  walk(ast);
  return found;
}
