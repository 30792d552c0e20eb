// flow exec's parameters are typed as papermill types them, down to whole floats and huge ints.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectCliParams } from '../../../src/cli/collect-params.js';
import { translateParameters } from '../../../src/notebook/translators/index.js';

describe('collectCliParams', () => {
  it('types -p values as papermill does, and injects them as papermill would', () => {
    const params = collectCliParams({
      params: ['a', '1.0', 'b', '2e3', 'c', '7', 'd', 'True', 'e', 'None', 'f', 'Poppleton', 'g', '123456789012345678901'],
    });
    expect(translateParameters('python', params)).toBe(
      '# Parameters\na = 1.0\nb = 2000.0\nc = 7\nd = True\ne = None\nf = "Poppleton"\ng = 123456789012345678901\n',
    );
    expect(JSON.parse(JSON.stringify({ a: params.a }))).toEqual({ a: 1 });
  });

  it('keeps YAML floats floats: 1.0 from -y or -f is injected as 1.0, as papermill does', () => {
    const params = collectCliParams({ yaml: ['{a: 1.0, b: 2, c: [1.5e3, 3.0], d: "1.0", e: 12345678901234567890}'] });
    expect(translateParameters('python', params)).toBe(
      '# Parameters\na = 1.0\nb = 2\nc = [1500.0, 3.0]\nd = "1.0"\ne = 12345678901234567890\n',
    );
  });

  it('applies -f < -y < -p < -r', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flow-params-'));
    const file = join(dir, 'p.yml');
    writeFileSync(file, 'a: file\nb: file\nc: file\nd: file\n');
    const params = collectCliParams({
      files: [file],
      yaml: ['{b: yaml, c: yaml, d: yaml}'],
      params: ['c', '1', 'd', '2'],
      raw: ['d', '3'],
    });
    expect(params).toEqual({ a: 'file', b: 'yaml', c: 1, d: '3' });
  });

  it('says what is wrong with a parameters file that is not a mapping', () => {
    expect(() => collectCliParams({ yaml: ['[1, 2]'] })).toThrow(
      '-y #1:1:1: params must be a mapping of parameter names to values — e.g. alpha: 0.5',
    );
  });
});
