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

  it('a 200 MB notebook cut short: refused at the line:col where it breaks; whole, it loads', async () => {
    // One code cell with 200 MB of old output (flow clears outputs before it runs a notebook).
    const old = `${'x'.repeat(99)}\n`;
    const nb = {
      cells: [
        {
          cell_type: 'code',
          execution_count: 1,
          id: 'big',
          metadata: {},
          source: 'print(1)',
          outputs: [{ output_type: 'stream', name: 'stdout', text: old.repeat(2_000_000) }],
        },
      ],
      metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' } },
      nbformat: 4,
      nbformat_minor: 5,
    };
    const text = JSON.stringify(nb, null, 1);
    expect(text.length).toBeGreaterThan(200_000_000);
    writeFileSync(join(dir, 'big.ipynb'), text);
    writeFileSync(join(dir, 'big-cut.ipynb'), text.slice(0, text.length - 100));
    writeFileSync(join(dir, 'big.yml'), 'name: big\nnodes:\n  whole: { notebook: big.ipynb }\n');
    writeFileSync(join(dir, 'big-cut.yml'), 'name: big-cut\nnodes:\n  cut: { notebook: big-cut.ipynb }\n');
    const whole = await execa('node', [cliPath, 'validate', 'big.yml'], { cwd: dir, reject: false });
    expect(whole.exitCode, whole.stderr).toBe(0);
    const r = await execa('node', [cliPath, 'run', 'big-cut.yml', '--reporter', 'plain', '--runs-dir', join(dir, 'runs-big')], {
      cwd: dir,
      reject: false,
    });
    expect(r.exitCode, r.stderr).toBe(2);
    // The text ends inside the cell's metadata, on the notebook's last lines.
    const lines = text.slice(0, text.length - 100).split('\n').length;
    expect(r.stderr).toMatch(
      new RegExp(`^big-cut\\.yml:3:20: node "cut": notebook big-cut\\.ipynb is not a notebook: it is not JSON at ${lines}:\\d+`),
    );
    expect(existsSync(join(dir, 'runs-big'))).toBe(false);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);
});
