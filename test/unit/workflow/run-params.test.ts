// Run params: papermill typing of -p, precedence -f < -y < -p < -r, and checks against declarations.
import { describe, expect, test } from 'vitest';
import { formatDiagnostic, WorkflowError } from '../../../src/errors.js';
import { parseWorkflow } from '../../../src/run/load-workflow.js';
import { typePapermillValue } from '../../../src/workflow/param-sources.js';
import { resolveRunParams, type RunParamSources } from '../../../src/workflow/run-params.js';
import { WholeFloat } from '../../../src/workflow/whole-float.js';
import { translateParameters } from '../../../src/notebook/translators/index.js';

describe('typePapermillValue', () => {
  test.each([
    ['True', true],
    ['False', false],
    ['None', null],
    ['2025', 2025],
    ['-3', -3],
    ['1_000', 1000],
    ['1.5', 1.5],
    ['1e3', new WholeFloat(1000)],
    ['2.0', new WholeFloat(2)],
    ['-inf', -Infinity],
    ['true', 'true'],
    ['P1', 'P1'],
    ['', ''],
    ['12345678901234567890', 12345678901234567890n],
  ] as const)('%s', (s, v) => {
    expect(typePapermillValue(s)).toEqual(v);
  });
  test('nan', () => expect(typePapermillValue('nan')).toBeNaN());
});

const yaml = `name: t
params:
  year: { type: integer, default: 2025 }
  period: { type: string, enum: [P1, P2, P3], default: P1 }
  ratio: { type: number, default: 0.5 }
  dry: { type: boolean, default: false }
  label: { type: string }
nodes: { a: { notebook: a.ipynb } }
`;
const { workflow } = await parseWorkflow(yaml, '/w/t.yml', { checkNotebooks: false });

function errorsOf(o: RunParamSources): string[] {
  try {
    resolveRunParams(workflow, o);
    return [];
  } catch (e) {
    if (e instanceof WorkflowError) return e.diagnostics.map(formatDiagnostic);
    throw e;
  }
}

describe('resolveRunParams', () => {
  test('types -p values and coerces them to the declared type; defaults fill the rest', () => {
    expect(resolveRunParams(workflow, { params: { year: '2024', label: '2024', ratio: '1', dry: 'True' } })).toEqual({
      year: 2024,
      period: 'P1',
      // A number param holds a float: `-p ratio=1` is injected as 1.0.
      ratio: new WholeFloat(1),
      dry: true,
      label: '2024',
    });
  });

  test('precedence is -f < -y < -p < -r', () => {
    const files = ['test/fixtures/workflows/params.yml'];
    expect(resolveRunParams(workflow, { files, params: { label: 'x' } })).toMatchObject({ year: 2024, period: 'P2' });
    expect(resolveRunParams(workflow, { files, yaml: ['period: P3'], params: { label: 'x' } })).toMatchObject({ period: 'P3' });
    expect(resolveRunParams(workflow, { files, yaml: ['period: P3'], params: { period: 'P1', label: 'x' } })).toMatchObject({
      period: 'P1',
    });
    expect(resolveRunParams(workflow, { params: { label: 'None' }, raw: { label: 'None' } })).toMatchObject({ label: 'None' });
    expect(resolveRunParams(workflow, { raw: { year: '2030', label: 'x' } })).toMatchObject({ year: 2030 });
  });

  test.each([
    [{ params: { year: 'abc', label: 'x' } }, ['param "year" expects an integer, got "abc" (from -p year=abc)']],
    [{ params: { year: '20.5', label: 'x' } }, ['param "year" expects an integer, got 20.5 (from -p year=20.5)']],
    [
      { params: { period: 'P4', label: 'x' } },
      ['param "period" must be one of P1, P2, P3, got "P4" (from -p period=P4) — did you mean "P1"?'],
    ],
    [{ params: { yeer: '1', label: 'x' } }, ['unknown param "yeer" (from -p yeer=1) — did you mean "year"?']],
    [{}, ['param "label" is required and has no default — pass it with -p label=VALUE']],
    [{ yaml: ['year: [1]\nlabel: x'] }, ['-y #1:1:1: param "year" expects an integer, got [1] (from -y)']],
    [{ yaml: ['- a'], params: { label: 'x' } }, ['-y #1:1:1: params must be a mapping of parameter names to values — e.g. alpha: 0.5']],
    [{ files: ['nope.yml'], params: { label: 'x' } }, ['-f nope.yml: cannot read it (ENOENT)']],
  ] as [RunParamSources, string[]][])('%j', (o, expected) => {
    expect(errorsOf(o)).toEqual(expected);
  });

  test('a whole float stays a float for a number param (-p rate=2.0 is injected as 2.0, as papermill would), and its default too', () => {
    const params = resolveRunParams(workflow, { params: { ratio: '2.0', label: '007' } });
    expect(params.ratio).toEqual(new WholeFloat(2));
    expect(translateParameters('python', { ratio: params.ratio })).toContain('ratio = 2.0\n');
    // A string param takes the text as typed, not papermill's int 7.
    expect(params.label).toBe('007');
    expect(resolveRunParams(workflow, { params: { ratio: '2', year: '2030.0', label: 'x' } })).toMatchObject({
      ratio: new WholeFloat(2),
      year: 2030,
    });
    expect(resolveRunParams(workflow, { values: { ratio: 3, label: 'x' } }).ratio).toEqual(new WholeFloat(3));
  });
});
