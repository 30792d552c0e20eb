// Malformed notebooks are refused when the workflow loads, at the node's line:col, with where the
// notebook itself breaks, before any server or kernel starts.
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliPath, fixturesDir } from '../helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'flow-malformed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));

describe('malformed notebooks', () => {
  it('a notebook cut short, an nbformat 3 one and one without cells: three errors, no run', async () => {
    const whole = readFileSync(join(fixturesDir, 'pool', 'hello.ipynb'), 'utf8');
    writeFileSync(join(dir, 'cut.ipynb'), whole.slice(0, whole.indexOf('"source"')));
    writeFileSync(join(dir, 'old.ipynb'), JSON.stringify({ nbformat: 3, nbformat_minor: 0, metadata: {}, worksheets: [] }));
    writeFileSync(join(dir, 'empty.ipynb'), JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {} }));
    writeFileSync(
      join(dir, 'wf.yml'),
      'name: malformed\nnodes:\n  cut: { notebook: cut.ipynb }\n  old: { notebook: old.ipynb }\n  empty: { notebook: empty.ipynb }\n',
    );
    const v = await execa('node', [cliPath, 'validate', 'wf.yml'], { cwd: dir, reject: false });
    expect(v.exitCode).toBe(2);
    const lines = v.stderr.split('\n');
    expect(lines[0]).toMatch(
      /^wf\.yml:3:20: node "cut": notebook cut\.ipynb is not a notebook: it is not JSON at \d+:\d+ — give the path of an \.ipynb file/,
    );
    expect(lines[1]).toBe(
      `wf.yml:4:20: node "old": notebook old.ipynb is nbformat 3; flow reads nbformat 4 — convert it with \`jupyter nbconvert --to notebook --nbformat 4 ${join(dir, 'old.ipynb')}\``,
    );
    expect(lines[2]).toBe('wf.yml:5:22: node "empty": notebook empty.ipynb is not a notebook: it has no "cells" list');

    const r = await execa('node', [cliPath, 'run', 'wf.yml', '--reporter', 'plain', '--runs-dir', join(dir, 'runs')], {
      cwd: dir,
      reject: false,
    });
    expect(r.exitCode).toBe(2);
    expect(existsSync(join(dir, 'runs'))).toBe(false); // refused before any run directory (or kernel)
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
