// Run-time evaluation: conditions with their operands, templates keeping types, BigInt, safety.
import { describe, expect, test } from 'vitest';
import { formatDiagnostic, WorkflowError } from '../../../src/errors.js';
import { evaluateCondition, renderTemplate } from '../../../src/workflow/evaluate-expr.js';
import { parseWorkflow } from '../../../src/run/load-workflow.js';
import type { Expr, ExprContext } from '../../../src/workflow/types.js';
import { WholeFloat } from '../../../src/workflow/whole-float.js';

const pos = { file: 'wf.yml', line: 3, col: 9 };
const expr = (source: string, types?: Expr['types']): Expr => ({ source, pos, ...(types && { types }) });
const ctx: ExprContext = {
  params: { year: 2025, ratio: 2, period: 'P2', tags: ['a', 'b'], obj: { a: 1 } },
  nodes: { validate: { outputs: { errors: 3, path: '/tmp/x.csv' }, status: 'succeeded' } },
  outputs: { errors: 3 },
  run: {
    id: '20261126T093000Z-3f9a',
    date: '2026-11-26',
    started_at: '2026-11-26T09:30:00Z',
    logical_date: new Date('2026-03-31T06:00:00Z'),
    trigger: 'schedule',
    lineage_id: '20261126T093000Z-3f9a',
  },
};

describe('evaluateCondition', () => {
  test.each([
    ['outputs.errors > 0', true, { 'outputs.errors': 3 }],
    ['params.period == "P1" || nodes.validate.status == "failed"', false, { 'params.period': 'P2', 'nodes.validate.status': 'succeeded' }],
    ['nodes.validate.outputs.errors + params.year == 2028', true, { 'nodes.validate.outputs.errors': 3, 'params.year': 2025 }],
    ['"a" in params.tags && params.obj.a == 1', true, { 'params.tags': ['a', 'b'], 'params.obj': { a: 1 } }],
    ['run.id.startsWith("2026")', true, {}],
    ['params.tags.exists(params, params == "b")', true, { 'params.tags': ['a', 'b'] }],
  ] as const)('%s → %s', (source, value, operands) => {
    expect(evaluateCondition(expr(source), ctx)).toEqual({ value, operands });
  });

  test('a whole number declared as a number is a CEL double', () => {
    expect(evaluateCondition(expr('params.ratio * 1.5 == 3.0', { 'params.ratio': 'number' }), ctx).value).toBe(true);
    expect(evaluateCondition(expr('params.ratio * 1.5 == 3.0'), { ...ctx, types: { 'params.ratio': 'number' } }).value).toBe(true);
  });

  const failures: [string, string][] = [
    ['params.year', 'wf.yml:3:9: condition `params.year` gave 2025, not true or false'],
    ['params.missing == 1', 'wf.yml:3:9: condition `params.missing == 1` failed: No such key: missing'],
    ['1 / (params.year - 2025) > 0', 'wf.yml:3:9: condition `1 / (params.year - 2025) > 0` failed: division by zero'],
    ['params.obj.constructor == 1', 'wf.yml:3:9: condition `params.obj.constructor == 1` failed: No such key: constructor'],
    ['params["__proto__"] == 1', 'wf.yml:3:9: condition `params["__proto__"] == 1` failed: No such key: __proto__'],
  ];
  test.each(failures)('%s fails as a WorkflowError', (source, message) => {
    const err = (() => {
      try {
        evaluateCondition(expr(source), ctx);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(WorkflowError);
    expect((err as WorkflowError).diagnostics.map(formatDiagnostic)).toEqual([message]);
  });
});

describe('renderTemplate', () => {
  test('run.logical_date is a timestamp (month, year, day in a time zone); it renders as ISO 8601', () => {
    expect(
      renderTemplate(
        {
          month: '${{ run.logical_date.getMonth() + 1 }}',
          period: "${{ run.logical_date.getMonth() + 1 <= 4 ? 'P1' : run.logical_date.getMonth() + 1 <= 8 ? 'P2' : 'P3' }}",
          london_hour: "${{ run.logical_date.getHours('Europe/London') }}",
          at: '${{ run.logical_date }}',
          label: '${{ run.trigger }}/${{ run.lineage_id }}',
        },
        ctx,
      ),
    ).toEqual({ month: 3, period: 'P1', london_hour: 7, at: '2026-03-31T06:00:00.000Z', label: 'schedule/20261126T093000Z-3f9a' });
  });

  test('a whole-value template keeps its type; others interpolate; deep over lists and objects', () => {
    const value = {
      year: '${{ params.year }}',
      next: '${{ params.year + 1 }}',
      label: 'FY${{ params.year }}-${{ params.period }}',
      list: ['${{ params.tags }}', 'n=${{ params.tags.size() }}', 7],
      nested: { ok: '${{ nodes.validate.outputs.errors == 3 }}', obj: 'o=${{ params.obj }}' },
      plain: 'no template',
    };
    expect(renderTemplate(value, ctx)).toEqual({
      year: 2025,
      next: 2026,
      label: 'FY2025-P2',
      list: [['a', 'b'], 'n=2', 7],
      nested: { ok: true, obj: 'o={"a":1}' },
      plain: 'no template',
    });
  });

  test('results past 2^53 are an error rather than a rounded number', () => {
    expect(renderTemplate('${{ 9007199254740991 }}', ctx)).toBe(9007199254740991);
    expect(() => renderTemplate('${{ 9007199254740993 }}', ctx)).toThrow(
      'template `9007199254740993` failed: the result 9007199254740993 is beyond ±2^53 (9007199254740991) and would lose precision as a number — convert it with string(…) or double(…)',
    );
    expect(renderTemplate('${{ string(9007199254740993) }}', ctx)).toBe('9007199254740993');
  });

  test("a node's params object carries its declared types from loadWorkflow", async () => {
    const yaml =
      'name: t\nparams: { r: { type: number, default: 2 } }\nnodes:\n  a: { notebook: a.ipynb, params: { x: "${{ params.r * 1.5 }}" } }\n';
    const { workflow } = await parseWorkflow(yaml, '/w/t.yml', { checkNotebooks: false });
    expect(renderTemplate(workflow.nodes.a!.params, { ...ctx, params: { r: 2 } })).toEqual({ x: new WholeFloat(3) });
  });
});
