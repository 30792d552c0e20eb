import { join } from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { inspectCommand, type InspectArgs } from '../../../src/cli/commands/inspect.js';
import { UsageError } from '../../../src/errors.js';
import { fixturesDir } from '../../helpers/paths.js';

const nbPath = (name: string) => join(fixturesDir, 'notebooks', name);

async function run(args: InspectArgs): Promise<string> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  await (inspectCommand.handler as (a: InspectArgs) => Promise<void>)(args);
  vi.restoreAllMocks();
  return out;
}

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

test('flow inspect prints the parameters and exits 0', async () => {
  const path = nbPath('two-params.ipynb');
  expect(await run({ notebook: path })).toBe(
    `Parameters inferred for notebook '${path}':\n  alpha: float (default 0.5)      learning rate\n  name: Unknown type (default "world")\n${' '.repeat(34)}who to greet\n`,
  );
  expect(process.exitCode).toBe(0);
});

test('flow inspect --json', async () => {
  const path = nbPath('two-params.ipynb');
  expect(JSON.parse(await run({ notebook: path, json: true }))).toEqual({
    notebook: path,
    language: 'python',
    parametersCell: true,
    parameters: [
      { name: 'alpha', inferredType: 'float', default: '0.5', help: 'learning rate' },
      { name: 'name', inferredType: null, default: '"world"', help: 'who to greet' },
    ],
  });
});

test('no parameters cell: says so, exit 0', async () => {
  expect(await run({ notebook: nbPath('no-parameters-cell.ipynb') })).toContain("\n  No cell tagged 'parameters'\n");
  expect(process.exitCode).toBe(0);
});

test('a missing notebook is a usage error', async () => {
  await expect(run({ notebook: nbPath('nope.ipynb') })).rejects.toThrow(new UsageError(`notebook not found: ${nbPath('nope.ipynb')}`));
});
