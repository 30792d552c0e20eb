// Finds every expression in the built nodes (`if`, `next[].when`, `${{ }}` in params), checks each
// where it is written, and returns the nodes with each Expr's declared `types` filled in.
import type { Diagnostic } from '../errors.js';
import { checkExpression, type ExprWorld } from './check-expressions.js';
import type { SourceMap, YamlPath } from './source-map.js';
import { scanTemplates } from './templates.js';
import type { Expr, NodeSpec } from './types.js';

export function checkAllExpressions(world: ExprWorld, src: SourceMap, diags: Diagnostic[]): Record<string, NodeSpec> {
  const out: Record<string, NodeSpec> = {};
  for (const v of Object.values(world.vars)) checkTemplates(v.value, ['vars', v.name], undefined, `vars.${v.name}`, world, src, diags);
  for (const node of Object.values(world.nodes)) {
    const at = ['nodes', node.id];
    const check = (expr: Expr, kind: 'if' | 'when', path: YamlPath, where: string): Expr => {
      const r = checkExpression({ node: node.id, kind, where, source: expr.source, posAt: (i) => src.offsetInString(path, i) }, world);
      diags.push(...r.diagnostics);
      return { ...expr, types: r.types };
    };
    const fromDefaults = new Set(node.defaultedParams ?? []);
    for (const [name, value] of Object.entries(node.params)) {
      // A param from defaults.params is checked for each node (what it may read depends on the
      // node), at the place it was written.
      const path = fromDefaults.has(name) ? ['defaults', 'params', name] : [...at, 'params', name];
      checkTemplates(value, path, node.id, `node "${node.id}" params.${name}`, world, src, diags);
    }
    out[node.id] = {
      ...node,
      ...(node.if && { if: check(node.if, 'if', [...at, 'if'], `node "${node.id}" if`) }),
      next: node.next.map((b, i) =>
        b.when ? { ...b, when: check(b.when, 'when', [...at, 'next', i, 'when'], `node "${node.id}" next[${i}].when`) } : b,
      ),
    };
  }
  return out;
}

/** Checks every `${{ }}` in a value (deeply), where it was written. */
function checkTemplates(
  value: unknown,
  path: (string | number)[],
  node: string | undefined,
  where: string,
  world: ExprWorld,
  src: SourceMap,
  diags: Diagnostic[],
): void {
  if (typeof value === 'string') {
    const scan = scanTemplates(value);
    if ('error' in scan) {
      diags.push({ severity: 'error', pos: src.offsetInString(path, scan.at), message: `${where}: ${scan.error}` });
      return;
    }
    for (const part of scan.parts) {
      const r = checkExpression(
        { node, kind: 'template', where, source: part.source, posAt: (i) => src.offsetInString(path, part.exprStart + i) },
        world,
      );
      diags.push(...r.diagnostics);
    }
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) checkTemplates(v, [...path, i], node, `${where}[${i}]`, world, src, diags);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) checkTemplates(v, [...path, k], node, `${where}.${k}`, world, src, diags);
  }
}
