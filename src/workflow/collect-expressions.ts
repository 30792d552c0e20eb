// Finds every expression in the built nodes (`if`, `next[].when`, `${{ }}` in params), checks each
// where it is written, and returns the nodes with each Expr's declared `types` filled in.
import type { Diagnostic } from '../errors.js';
import { checkExpression, type ExprWorld } from './check-expressions.js';
import { formatPath } from './schema-issues.js';
import type { SourceMap, YamlPath } from './source-map.js';
import { scanTemplates } from './templates.js';
import type { Expr, NodeSpec } from './types.js';

export function checkAllExpressions(world: ExprWorld, src: SourceMap, diags: Diagnostic[]): Record<string, NodeSpec> {
  const out: Record<string, NodeSpec> = {};
  for (const node of Object.values(world.nodes)) {
    const at = ['nodes', node.id];
    const check = (expr: Expr, kind: 'if' | 'when', path: YamlPath, where: string): Expr => {
      const r = checkExpression({ node: node.id, kind, where, source: expr.source, posAt: (i) => src.offsetInString(path, i) }, world);
      diags.push(...r.diagnostics);
      return { ...expr, types: r.types };
    };
    const walkParams = (value: unknown, path: (string | number)[]): void => {
      if (typeof value === 'string') {
        const scan = scanTemplates(value);
        const where = `node "${node.id}" ${formatPath(path.slice(2))}`;
        if ('error' in scan) {
          diags.push({ severity: 'error', pos: src.offsetInString(path, scan.at), message: `${where}: ${scan.error}` });
          return;
        }
        for (const part of scan.parts) {
          const r = checkExpression(
            { node: node.id, kind: 'template', where, source: part.source, posAt: (i) => src.offsetInString(path, part.exprStart + i) },
            world,
          );
          diags.push(...r.diagnostics);
        }
      } else if (Array.isArray(value)) for (const [i, v] of value.entries()) walkParams(v, [...path, i]);
      else if (value !== null && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) walkParams(v, [...path, k]);
      }
    };
    walkParams(node.params, [...at, 'params']);
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
