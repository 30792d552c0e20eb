// `flow exec --log-output` shows the notebook's output as it runs (on stderr, as papermill does).
import { execa } from 'execa';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { cliPath, fixturesDir } from '../helpers/paths.js';

it('--log-output prints what the cells print, and stdout only says where the notebook went', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'flow-log-output-')), 'out.ipynb');
  const r = await execa(
    'node',
    [cliPath, 'exec', join(fixturesDir, 'notebooks', 'two-params.ipynb'), out, '-p', 'name', 'Poppleton', '--log-output'],
    {
      reject: false,
    },
  );
  expect(r.exitCode).toBe(0);
  expect(r.stderr.split('\n')).toContain('hello Poppleton 0.5');
  expect(r.stdout).toBe(`executed: ${out}`);
});
