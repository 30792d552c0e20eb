// Every fixture workflow, loaded as `flow validate` loads it: the exact diagnostics, in order.
import { describe, expect, test } from 'vitest';
import { formatDiagnostic, WorkflowError } from '../../../src/errors.js';
import { loadWorkflow } from '../../../src/run/load-workflow.js';

const dir = 'test/fixtures/workflows';

async function problems(name: string): Promise<string[]> {
  try {
    const { warnings } = await loadWorkflow(`${dir}/${name}`);
    return warnings.map(formatDiagnostic);
  } catch (e) {
    if (e instanceof WorkflowError) return e.diagnostics.map(formatDiagnostic);
    throw e;
  }
}

const f = (name: string, line: number, col: number, rest: string): string => `${dir}/${name}:${line}:${col}: ${rest}`;

const table: [string, string[]][] = [
  ['hesa-return.yml', []],
  ['minimal.yml', []],
  [
    'unknown-keys.yml',
    [
      f('unknown-keys.yml', 2, 1, 'unknown key "descripton" — did you mean "description"?'),
      f('unknown-keys.yml', 5, 5, 'unknown key "notebok" in node "extract" — did you mean "notebook"?'),
      f('unknown-keys.yml', 6, 14, 'nodes.extract.timeout: "10 minutes" is not a duration — write it like 90s, 10m, 1h or 1h30m'),
      f('unknown-keys.yml', 7, 24, 'nodes.extract.retry.attempts: 0 is less than 1'),
      f('unknown-keys.yml', 7, 27, 'unknown key "max_dealy" in nodes.extract.retry — did you mean "max_delay"?'),
      f(
        'unknown-keys.yml',
        10,
        13,
        'nodes.report.run_if: "all_succes" is not one of none_failed_min_one_success, all_success, all_done, one_success, one_failed, all_failed, none_failed — did you mean "all_success"?',
      ),
      f(
        'unknown-keys.yml',
        11,
        19,
        'nodes.report.outputs.n: "integr" is not one of string, integer, number, boolean, list, object, any — did you mean "integer"?',
      ),
    ],
  ],
  [
    'bad-references.yml',
    [
      f('bad-references.yml', 9, 23, 'node "validate" next[0].when: node "validate" declares no output "erors" — did you mean "errors"?'),
      f('bad-references.yml', 10, 15, 'node "validate" goes to unknown node "eror_report" — did you mean "error_report"?'),
      f('bad-references.yml', 15, 13, 'node "report" needs unknown node "validat" — did you mean "validate"?'),
      f(
        'bad-references.yml',
        16,
        15,
        'node "report" if: reads node "summary", which is not upstream of node "report" — add "summary" to the needs of "report"',
      ),
      f('bad-references.yml', 16, 46, 'node "report" if: unknown param "yeer" — did you mean "year"?'),
      f(
        'bad-references.yml',
        19,
        26,
        'node "summary" params.coef: outputs.* can only be read in next[].when — read another node\'s outputs as nodes.<id>.outputs.errors',
      ),
    ],
  ],
  [
    'bad-types.yml',
    [
      f('bad-types.yml', 3, 35, 'params.year.default: "2025" is not an integer'),
      f('bad-types.yml', 4, 52, 'params.period.default: "P4" is not one of P1, P2 — did you mean "P1"?'),
      f('bad-types.yml', 8, 9, 'node "extract" if: no such overload: int + string'),
      f('bad-types.yml', 9, 39, 'node "extract" params.year: invalid expression: Unexpected token: EOF'),
      f('bad-types.yml', 14, 9, 'node "validate" if: the condition gives int, not a bool — compare it, like `outputs.errors > 0`'),
      f('bad-types.yml', 15, 28, 'node "validate" params.path: unterminated ${{ template: missing "}}"'),
    ],
  ],
  [
    'bad-retry.yml',
    [
      f('bad-retry.yml', 3, 35, 'retry.max_delay (10s) cannot be less than retry.delay (30s) — raise max_delay or lower delay'),
      f('bad-retry.yml', 9, 21, 'retry.max_delay (10s) cannot be less than retry.delay (2m) — raise max_delay or lower delay'),
    ],
  ],
  [
    'unsafe-ids.yml',
    [
      f('unsafe-ids.yml', 3, 3, 'node id "../escape" is not safe as a file name: it contains a path separator — rename the node'),
      f('unsafe-ids.yml', 4, 3, 'node id "a/b" is not safe as a file name: it contains a path separator — rename the node'),
      f('unsafe-ids.yml', 5, 3, 'node id "nul" is not safe as a file name: Windows reserves it as a device name — rename the node'),
    ],
  ],
  [
    'duplicate-ids.yml',
    [f('duplicate-ids.yml', 5, 3, 'duplicate node id "a" (first written at line 3) — each key may appear once in a mapping')],
  ],
  [
    'bad-yaml.yml',
    [
      f('bad-yaml.yml', 4, 3, 'YAML: Flow map in block collection must be sufficiently indented and end with a }'),
      f('bad-yaml.yml', 5, 1, 'YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'),
    ],
  ],
  [
    'notebooks-problems.yml',
    [
      f(
        'notebooks-problems.yml',
        3,
        24,
        `node "missing": notebook notebooks/does-not-exist.ipynb does not exist — paths are relative to the workflow file: looked for ${process.cwd()}/${dir}/notebooks/does-not-exist.ipynb`,
      ),
      f(
        'notebooks-problems.yml',
        4,
        23,
        'node "script": notebook notebooks/not-a-notebook.ipynb is not a notebook: it is not JSON — give the path of an .ipynb file (was it saved whole?)',
      ),
      f(
        'notebooks-problems.yml',
        5,
        20,
        `node "old": notebook notebooks/nbformat3.ipynb is nbformat 3; flow reads nbformat 4 — convert it with \`jupyter nbconvert --to notebook --nbformat 4 ${process.cwd()}/${dir}/notebooks/nbformat3.ipynb\``,
      ),
      f(
        'notebooks-problems.yml',
        8,
        27,
        'warning: node "extract" passes unknown parameter "yaer": the parameters cell of notebooks/extract.ipynb does not define it — it defines year, period',
      ),
      f(
        'notebooks-problems.yml',
        10,
        15,
        'warning: node "report" passes params, but notebook notebooks/report.ipynb has no cell tagged "parameters" — they will be injected at the top; tag the cell that sets their defaults "parameters"',
      ),
    ],
  ],
  [
    'unreachable.yml',
    [
      f(
        'unreachable.yml',
        8,
        9,
        'warning: node "decide" next[0] has no `when`, so the branches after it are never taken — put the otherwise branch last',
      ),
    ],
  ],
];

describe('loadWorkflow on fixtures', () => {
  test.each(table)('%s', async (name, expected) => {
    expect(await problems(name)).toEqual(expected);
  });

  test('a workflow with errors throws WorkflowError whose message lists only the errors', async () => {
    const err = await loadWorkflow(`${dir}/notebooks-problems.yml`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowError);
    expect((err as Error).message.split('\n')).toHaveLength(3);
  });

  test('a missing workflow file is a usage error', async () => {
    await expect(loadWorkflow(`${dir}/nope.yml`)).rejects.toThrow(`cannot read workflow ${dir}/nope.yml: no such file`);
  });
});
