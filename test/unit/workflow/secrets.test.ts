// Secret params: declared, read from their sources, and masked wherever a value could show.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, UsageError, WorkflowError } from '../../../src/errors.js';
import { readSecrets } from '../../../src/run/secrets.js';
import { resolveRunParams } from '../../../src/workflow/run-params.js';
import { parseWorkflow } from '../../../src/workflow/load-workflow.js';
import { MASK, Secrets, secretToken } from '../../../src/workflow/secrets.js';

const nb = 'nodes:\n  a:\n    notebook: a.ipynb\n';

async function load(params: string, dir = '/w') {
  return (await parseWorkflow(`name: s\nparams:\n${params}\n${nb}`, join(dir, 'wf.yml'), { displayName: 'wf.yml' })).workflow;
}

async function errorsOf(params: string): Promise<string[]> {
  try {
    await load(params);
    return [];
  } catch (e) {
    if (e instanceof WorkflowError) return e.diagnostics.map(formatDiagnostic);
    throw e;
  }
}

describe('declaring a secret param', () => {
  it('reads from FLOW_SECRET_<NAME> by default, from from_env, or from from_file next to the workflow', async () => {
    const wf = await load('  salt: { secret: true }\n  token: { type: string, secret: true, from_env: API_TOKEN, from_file: token.txt }');
    expect(wf.params.salt?.secret).toEqual({ fromEnv: 'FLOW_SECRET_SALT' });
    expect(wf.params.token?.secret).toEqual({ fromEnv: 'API_TOKEN', fromFile: '/w/token.txt' });
  });

  it('is a string without an enum; from_env and from_file need secret: true', async () => {
    expect(await errorsOf('  n: { type: integer, secret: true }\n  e: { secret: true, enum: [abcd, efgh] }\n  f: { from_env: X }')).toEqual(
      [
        'wf.yml:3:14: params.n: a secret param is a string, not an integer',
        'wf.yml:4:22: params.e: a secret param cannot have an enum — drop the enum',
        'wf.yml:5:8: params.f.from_env is only for a secret param — add `secret: true`',
      ],
    );
  });

  it('is a stand-in in the run params, and -p cannot set it (the value is not echoed)', async () => {
    const wf = await load('  salt: { secret: true }\n  rows: { default: 3 }');
    expect(resolveRunParams(wf, {})).toEqual({ salt: secretToken('salt'), rows: 3 });
    const err = (() => {
      try {
        resolveRunParams(wf, { params: [['salt', 'hunter22']] });
      } catch (e) {
        return e as WorkflowError;
      }
    })();
    expect(err?.message).toBe(
      'param "salt" is a secret: it is not taken from -p, -r, -f, -y or params (from -p salt) — set FLOW_SECRET_SALT (or pass -s salt=VALUE)'.replace(
        ' (from -p salt=hunter22)',
        ' (from -p salt)',
      ),
    );
  });
});

describe('readSecrets', () => {
  const noWarn = () => {};
  it('takes a given value first, then from_file, then the environment, then the default with a warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flow-secret-'));
    writeFileSync(join(dir, 'token.txt'), 'from-the-file\n');
    const wf = await load(
      '  a: { secret: true }\n  b: { secret: true, from_file: token.txt }\n  c: { secret: true, default: demo-key }',
      dir,
    );
    const warnings: string[] = [];
    const s = readSecrets(wf, { given: { a: 'given-value' }, env: { FLOW_SECRET_A: 'env-a', FLOW_SECRET_B: 'env-b' } }, (d) =>
      warnings.push(formatDiagnostic(d)),
    );
    expect(s.reveal(`${secretToken('a')}|${secretToken('b')}|${secretToken('c')}`)).toBe('given-value|from-the-file|demo-key');
    expect(warnings).toEqual([
      'wf.yml:5:3: warning: secret param "c" uses the workflow\'s default, which is not a secret — set FLOW_SECRET_C for real data',
    ]);
  });

  it('names where it looked when there is no value, and refuses one shorter than 4 characters', async () => {
    const wf = await load('  salt: { secret: true }');
    expect(() => readSecrets(wf, { env: {} }, noWarn)).toThrow(
      new UsageError('secret param "salt" has no value', 'set FLOW_SECRET_SALT, or pass -s salt=VALUE (visible to other users)'),
    );
    expect(() => readSecrets(wf, { env: { FLOW_SECRET_SALT: 'abc' } }, noWarn)).toThrow(/shorter than 4 characters/);
    expect(() => readSecrets(wf, { given: { other: 'abcdef' }, env: {} }, noWarn)).toThrow(/declares no secret param "other"/);
  });
});

describe('Secrets.mask', () => {
  const s = new Secrets({ key: 'hunter22', longer: 'hunter22-and-more' });
  it('replaces every value, the longest first, and every stand-in', () => {
    expect(s.mask('a hunter22-and-more b hunter22 c')).toBe(`a ${MASK} b ${MASK} c`);
    expect(s.mask(`k=${secretToken('key')}`)).toBe(`k=${MASK}`);
    expect(s.mask('nothing here')).toBe('nothing here');
  });

  it('masks deeply, keys included, and leaves other values as they are', () => {
    expect(s.maskDeep({ out: ['x hunter22', 3, null, { hunter22: true }] })).toEqual({ out: [`x ${MASK}`, 3, null, { [MASK]: true }] });
  });

  it('reveals stand-ins to their values, and nothing else', () => {
    expect(s.reveal(`${secretToken('key')}-suffix`)).toBe('hunter22-suffix');
    expect(s.reveal('plain')).toBe('plain');
  });
});
