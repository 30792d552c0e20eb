// `flow exec --secret NAME`: papermill's command line with a parameter that reaches the kernel only.
import { execa } from 'execa';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath } from '../helpers/paths.js';

const tmp = mkdtempSync(join(tmpdir(), 'flow-exec-secret-'));
const input = join(tmp, 'digest.ipynb');
const cell = (source: string, tags: string[] = []) => ({
  cell_type: 'code',
  id: `c${tags.length}${source.length}`,
  metadata: { tags },
  source,
  outputs: [],
  execution_count: null,
});
writeFileSync(
  input,
  JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: [
      cell('key = ""\nother = 0', ['parameters']),
      cell('import hashlib, hmac\nprint("digest", hmac.new(key.encode(), b"student-1", hashlib.sha256).hexdigest())\nprint("key:", key)'),
    ],
  }),
);

function exec(args: string[], env: Record<string, string> = {}) {
  return execa('node', [cliPath, 'exec', input, ...args], { reject: false, cwd: tmp, env: { NO_COLOR: '1', ...env } });
}

describe('flow exec --secret', () => {
  it('sets the parameter from $FLOW_SECRET_NAME, masks it in the notebook, and the kernel had the real value', async () => {
    const key = `k-${randomUUID()}`;
    const output = join(tmp, 'env.out.ipynb');
    const r = await exec([output, '--secret', 'key', '-p', 'other', '1'], { FLOW_SECRET_KEY: key });
    expect(r.exitCode, r.stderr).toBe(0);
    const text = readFileSync(output, 'utf8');
    expect(text).not.toContain(key);
    expect(text).toContain('key: ***');
    // Computed in the kernel with the value flow set: the real key's HMAC.
    expect(text).toContain(`digest ${createHmac('sha256', key).update('student-1').digest('hex')}`);
    const nb = JSON.parse(text) as { metadata: { papermill: { parameters: Record<string, unknown> } } };
    expect(nb.metadata.papermill.parameters).toEqual({ other: 1, key: '***' });
    expect(`${r.stdout}${r.stderr}`).not.toContain(key);
  });

  it('--secret NAME=VALUE works with a warning; a missing or short one is a usage error naming the variable', async () => {
    const key = `v-${randomUUID()}`;
    const output = join(tmp, 'cli.out.ipynb');
    const r = await exec([output, '--secret', `key=${key}`]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('a secret on the command line can be read by every user of this machine');
    expect(readFileSync(output, 'utf8')).not.toContain(key);
    const missing = await exec([join(tmp, 'x.ipynb'), '--secret', 'key']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toBe('error: --secret key: FLOW_SECRET_KEY is not set — export FLOW_SECRET_KEY=… first');
    const short = await exec([join(tmp, 'y.ipynb'), '--secret', 'key'], { FLOW_SECRET_KEY: 'abc' });
    expect(short.exitCode).toBe(2);
    expect(short.stderr).not.toContain('abc');
  });
});
