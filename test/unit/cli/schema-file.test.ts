// The committed schema/workflow.schema.json (which editors read through the modeline in each
// workflow) must be exactly what `flow schema` prints, or editors check against a stale format.
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { cliPath, repoRoot } from '../../helpers/paths.js';

it('schema/workflow.schema.json is up to date with `flow schema`', async () => {
  const { stdout } = await execa('node', [cliPath, 'schema']);
  const committed = readFileSync(join(repoRoot, 'schema', 'workflow.schema.json'), 'utf8');
  expect(JSON.parse(committed), 'regenerate with: node dist/cli/main.js schema > schema/workflow.schema.json').toEqual(JSON.parse(stdout));
});
