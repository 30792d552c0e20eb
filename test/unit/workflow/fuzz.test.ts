// Property tests: no YAML text and no expression crashes the loader; each gives errors or a Workflow.
import fc from 'fast-check';
import { stringify } from 'yaml';
import { expect, test } from 'vitest';
import { FlowError, WorkflowError } from '../../../src/errors.js';
import { parseWorkflow } from '../../../src/run/load-workflow.js';

async function outcome(text: string): Promise<'ok' | 'errors'> {
  try {
    await parseWorkflow(text, '/w/fuzz.yml', { checkNotebooks: false });
    return 'ok';
  } catch (e) {
    if (e instanceof WorkflowError && e.diagnostics.length > 0 && e.diagnostics.every((d) => d.message)) return 'errors';
    throw e;
  }
}

test('random text never crashes the loader', async () => {
  await fc.assert(
    fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), async (s) => {
      expect(['ok', 'errors']).toContain(await outcome(s));
    }),
    { numRuns: 300 },
  );
});

const key = fc.constantFrom(
  'name',
  'nodes',
  'params',
  'defaults',
  'notebook',
  'needs',
  'next',
  'if',
  'when',
  'goto',
  'retry',
  'timeout',
  'outputs',
  'type',
  'default',
  'enum',
  'a',
  'b',
  '../x',
  'matrix',
);
const leaf = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('10m', 'integer', 'a', 'a.ipynb', '${{ params.x }}', '${{', 'outputs.e > 0'),
);
const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(key, tie('v'), { maxKeys: 4 })),
})).v;

test('random YAML documents built from workflow keys never crash the loader', async () => {
  await fc.assert(
    fc.asyncProperty(fc.dictionary(key, value, { maxKeys: 5 }), async (doc) => {
      expect(['ok', 'errors']).toContain(await outcome(stringify(doc)));
    }),
    { numRuns: 300 },
  );
});

const atom = fc.constantFrom(
  'params.n',
  'params.s',
  'params.l',
  'nodes.a.outputs.e',
  'nodes.a.status',
  'outputs.e',
  'run.id',
  '1',
  '2.5',
  '"x"',
  'true',
  'null',
  '[1, 2]',
  '{"k": 1}',
  'nodes',
  'params',
  'foo',
  'params.__proto__',
  'params.constructor',
);
const op = fc.constantFrom(
  ' + ',
  ' - ',
  ' * ',
  ' / ',
  ' % ',
  ' == ',
  ' != ',
  ' < ',
  ' && ',
  ' || ',
  ' in ',
  '.',
  '[',
  ']',
  '(',
  ')',
  '!',
  ' ? ',
  ' : ',
  '.size()',
  '.matches("a+")',
  '.exists(x, x > 0)',
  ',',
  '',
);
const expression = fc.array(fc.oneof(atom, op), { minLength: 1, maxLength: 12 }).map((parts) => parts.join(''));

test('random expressions in if, when and templates give errors or a Workflow', async () => {
  await fc.assert(
    fc.asyncProperty(expression, expression, async (e1, e2) => {
      const yaml = stringify({
        name: 'fuzz',
        params: { n: { type: 'integer', default: 1 }, s: { default: 'a' }, l: { type: 'list', default: [1] } },
        nodes: {
          a: { notebook: 'a.ipynb', outputs: { e: 'integer' }, next: [{ when: e1, goto: 'b' }, { goto: 'c' }] },
          b: { notebook: 'b.ipynb', if: e2, params: { x: `\${{ ${e1} }}`, y: `v=\${{ ${e2} }}` } },
          c: { notebook: 'c.ipynb' },
        },
      });
      expect(['ok', 'errors']).toContain(await outcome(yaml));
    }),
    { numRuns: 400 },
  );
});

test('a non-FlowError never escapes for a hostile document', async () => {
  const bomb =
    'a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n';
  await expect(parseWorkflow(bomb, '/w/b.yml', { checkNotebooks: false })).rejects.toBeInstanceOf(FlowError);
});
