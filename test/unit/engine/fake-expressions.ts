// A tiny stand-in for the CEL functions: `path`, `!path`, `path OP literal`, and `${{ path }}`.
import type { ExpressionFunctions } from '../../../src/engine/run-options.js';
import type { ExprContext } from '../../../src/workflow/types.js';

const comparison = /^\s*([\w.]+)\s*(==|!=|>=|<=|>|<)\s*(.+?)\s*$/;

export const fakeExpressions: ExpressionFunctions = {
  evaluateCondition(expr, ctx) {
    const src = expr.source.trim();
    if (src === 'true' || src === 'false') return { value: src === 'true', operands: {} };
    const m = comparison.exec(src);
    if (!m) {
      const negated = src.startsWith('!');
      const path = negated ? src.slice(1) : src;
      const v = lookup(ctx, path);
      return { value: negated ? !v : Boolean(v), operands: { [path]: v } };
    }
    const [, path, op, lit] = m;
    const a = lookup(ctx, path) as number;
    const b = JSON.parse(lit.replace(/'/g, '"')) as number;
    const value = { '==': a === b, '!=': a !== b, '>=': a >= b, '<=': a <= b, '>': a > b, '<': a < b }[op]!;
    return { value, operands: { [path]: a } };
  },
  renderTemplate(value, ctx) {
    return render(value, ctx);
  },
};

function render(value: unknown, ctx: ExprContext): unknown {
  if (typeof value === 'string') {
    const whole = /^\$\{\{\s*([\w.]+)\s*\}\}$/.exec(value);
    if (whole) return lookup(ctx, whole[1]);
    return value.replace(/\$\{\{\s*([\w.]+)\s*\}\}/g, (_, p: string) => String(lookup(ctx, p)));
  }
  if (Array.isArray(value)) return value.map((v) => render(v, ctx));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, render(v, ctx)]));
  }
  return value;
}

function lookup(ctx: ExprContext, path: string): unknown {
  let cur: unknown = ctx;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !(key in cur)) throw new Error(`no such key: ${path}`);
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}
