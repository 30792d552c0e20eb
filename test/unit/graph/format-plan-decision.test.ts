// A decision node in `flow graph`: marked in ascii, a rhombus in mermaid, a diamond in dot.
import { expect, test } from 'vitest';
import { buildPlan } from '../../../src/graph/build-plan.js';
import { formatPlan } from '../../../src/graph/format-plan.js';
import { loadWorkflow } from '../../../src/run/load-workflow.js';

const plan = async () => buildPlan((await loadWorkflow('test/fixtures/decision/decision.yml')).workflow);

test('ascii marks the decision node', async () => {
  expect(formatPlan(await plan(), 'ascii')).toContain('[2] gate       ← rows, nulls  [decision]\n');
});

test('mermaid draws it as a rhombus, dot as a diamond; notebook nodes stay boxes', async () => {
  const p = await plan();
  const mermaid = formatPlan(p, 'mermaid');
  expect(mermaid).toContain('  n2{"gate"}\n');
  expect(mermaid).toContain('  n0["rows"]\n');
  const dot = formatPlan(p, 'dot');
  expect(dot).toContain('  "gate" [shape=diamond];\n');
  expect(dot).toContain('  "rows";\n');
});
