// `flow exec` through the built CLI: papermill's command line, its messages and exit codes, on a
// real Jupyter server. Bad inputs are refused with exit code 2 before any server starts.
import { execa } from 'execa';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CodeCell, Notebook } from '../../src/notebook/types.js';
import { cliPath, fixturesDir } from '../helpers/paths.js';
import { venvPython } from '../helpers/validate-notebook.js';
import { validateNotebooks } from '../helpers/validate-notebook.js';

const tmp = mkdtempSync(join(tmpdir(), 'flow-exec-cli-'));
const written: string[] = [];

/** Copies a fixture notebook into a fresh folder of the temp dir; returns its path. */
function fixture(name: string): string {
  const dir = mkdtempSync(join(tmp, `${name}-`));
  const path = join(dir, `${name}.ipynb`);
  copyFileSync(join(fixturesDir, 'notebooks', `${name}.ipynb`), path);
  return path;
}

function flow(args: string[], env: Record<string, string> = {}) {
  return execa('node', [cliPath, 'exec', ...args], { reject: false, cwd: tmp, env: { NO_COLOR: '1', ...env } });
}

function read(path: string): Notebook {
  written.push(path);
  return JSON.parse(readFileSync(path, 'utf8')) as Notebook;
}

const source = (c: { source: string | string[] }) => (Array.isArray(c.source) ? c.source.join('') : c.source);
const stdoutOf = (c: unknown) =>
  (c as CodeCell).outputs.map((o) => (o.output_type === 'stream' ? source({ source: o.text }) : '')).join('');

describe('flow exec: parameters and options (no kernel)', () => {
  it('says in --help where the output goes by default', async () => {
    const r = await flow(['--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('NAME.out.ipynb');
  });

  it('types -p as papermill does, with -f < -y < -p < -r, writes NAME.out.ipynb with --prepare-only', async () => {
    const input = fixture('two-params');
    const file = join(tmp, 'params.yml');
    writeFileSync(file, 'alpha: 0.1\nname: from-file\nonly_file: [1, {k: v}]\nhuge: 123456789012345678901\n');
    const args = [
      '-f',
      file,
      '-y',
      'name: from-yaml\nonly_yaml: null',
      '-y',
      'alpha: 0.2',
      '-p',
      'alpha',
      '0.3',
      '-p',
      'name',
      'from-p',
      '-p',
      't',
      'True',
      '-p',
      'f',
      'False',
      '-p',
      'none',
      'None',
      '-p',
      'i',
      '-42',
      '-p',
      'big',
      '12345678901234567890',
      '-p',
      'x',
      '2.5e-3',
      '-p',
      'nan',
      'nan',
      '-p',
      's',
      '1.2.3',
      '-r',
      'name',
      'raw',
      '-r',
      'raw_int',
      '7',
    ];
    const papermillOut = join(tmp, 'papermill-prepared.ipynb');
    const papermill = execa(join(venvPython, '..', 'papermill'), [input, papermillOut, '--prepare-only', ...args]);
    const r = await flow([input, '--prepare-only', ...args]);
    expect(r.stderr).toBe(
      ['only_file', 'huge', 'only_yaml', 't', 'f', 'none', 'i', 'big', 'x', 'nan', 's', 'raw_int']
        .map((n) => `warning: parameter "${n}" is not defined in the notebook's parameters cell\n`)
        .join('')
        .trimEnd(),
    );
    const output = input.replace(/\.ipynb$/, '.out.ipynb');
    expect(r.stdout).toBe(`prepared: ${output}`);
    expect(r.exitCode).toBe(0);
    const nb = read(output);
    const injected = nb.cells[2]!;
    expect(injected.metadata.tags).toEqual(['injected-parameters']);
    expect(source(injected)).toBe(
      [
        '# Parameters',
        'alpha = 0.3',
        'name = "raw"',
        'only_file = [1, {"k": "v"}]',
        'huge = 123456789012345678901',
        'only_yaml = None',
        't = True',
        'f = False',
        'none = None',
        'i = -42',
        'big = 12345678901234567890',
        'x = 0.0025',
        "nan = float('nan')",
        's = "1.2.3"',
        'raw_int = "7"',
        '',
      ].join('\n'),
    );
    // The same cell papermill injects for the same command line.
    await papermill;
    // papermill writes the NaN parameter into metadata as a bare NaN, which JSON.parse refuses
    const papermillNb = JSON.parse(readFileSync(papermillOut, 'utf8').replace(/: NaN\b/g, ': null')) as Notebook;
    expect(source(injected)).toBe(source(papermillNb.cells[2]!));
    // Not run: no outputs, and every cell pending.
    expect(nb.cells.every((c) => c.cell_type !== 'code' || (c as CodeCell).outputs.length === 0)).toBe(true);
  });

  it('hides code sources with --report-mode', async () => {
    const input = fixture('two-params');
    const out = join(tmp, 'report.ipynb');
    const r = await flow([input, out, '--prepare-only', '--report-mode', '-p', 'alpha', '1']);
    expect(r.exitCode).toBe(0);
    const nb = read(out);
    const code = nb.cells.filter((c) => c.cell_type === 'code');
    expect(code).toHaveLength(4);
    expect(code.map((c) => (c.metadata.jupyter as { source_hidden?: boolean } | undefined)?.source_hidden)).toEqual([
      true,
      true,
      true,
      true,
    ]);
  });

  describe('bad input: exit code 2, one clear line, no stack trace, nothing written', () => {
    const bad = join(tmp, 'bad');
    mkdirSync(bad, { recursive: true });
    const noKernelspec = join(bad, 'no-kernelspec.ipynb');
    writeFileSync(
      noKernelspec,
      JSON.stringify({
        cells: [{ cell_type: 'code', source: 'x = 1', metadata: {}, outputs: [], execution_count: null }],
        metadata: {},
        nbformat: 4,
        nbformat_minor: 5,
      }),
    );
    const invalidJson = join(bad, 'invalid.ipynb');
    writeFileSync(invalidJson, '{\n "cells": [\n  {"cell_type": "code",}\n ]\n}\n');
    const nbformat3 = join(fixturesDir, 'notebooks', 'nbformat3.ipynb');
    const twoParams = join(fixturesDir, 'notebooks', 'two-params.ipynb');

    it.each([
      ['a missing file', [join(bad, 'nope.ipynb')], `error: notebook not found: ${join(bad, 'nope.ipynb')}`],
      ['invalid JSON', [invalidJson], `error: ${invalidJson}:3:24: the notebook is not valid JSON (`],
      [
        'nbformat 3',
        [nbformat3],
        `error: ${nbformat3} is nbformat 3; flow reads nbformat 4 — convert it with \`jupyter nbconvert --to notebook --nbformat 4 ${nbformat3}\``,
      ],
      [
        'no kernelspec',
        [noKernelspec],
        `error: ${noKernelspec} has no kernelspec (metadata.kernelspec.name) — name a kernel with -k, e.g. -k python3`,
      ],
      [
        'a parameter name that is not an identifier',
        [twoParams, join(bad, 'out.ipynb'), '-p', 'not-a-name', '1'],
        'error: parameter name "not-a-name" is not a valid Python variable name',
      ],
      [
        'a keyword as parameter name',
        [twoParams, join(bad, 'out.ipynb'), '-p', 'class', '1'],
        'error: parameter name "class" is not a valid Python variable name',
      ],
      [
        '-y that is not a mapping',
        [twoParams, join(bad, 'out.ipynb'), '-y', '[1, 2]'],
        'error: -y #1:1:1: params must be a mapping of parameter names to values — e.g. alpha: 0.5',
      ],
    ])('%s', async (_what, args, message) => {
      const r = await flow(args as string[]);
      expect(r.exitCode).toBe(2);
      expect(r.stderr.startsWith(message)).toBe(true);
      expect(r.stderr.split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
    });
  });
});

describe('flow exec on a real kernel', () => {
  it("runs in the notebook's folder by default and prints where the output went", async () => {
    const input = fixture('prints-cwd');
    const r = await flow([input]);
    const output = input.replace(/\.ipynb$/, '.out.ipynb');
    expect(r.stdout).toBe(`executed: ${output}`);
    expect(r.exitCode).toBe(0);
    expect(stdoutOf(read(output).cells[0])).toBe(`${join(input, '..')}\n`);
  });

  it('runs the kernel in --cwd DIR', async () => {
    const input = fixture('prints-cwd');
    const out = join(tmp, 'cwd.out.ipynb');
    const r = await flow([input, out, '--cwd', tmp]);
    expect(r.exitCode).toBe(0);
    expect(stdoutOf(read(out).cells[0])).toBe(`${tmp}\n`);
  });

  it('exits 1 on a failing cell, naming the cell, ename and evalue', async () => {
    const input = fixture('fails-in-cell-3');
    const r = await flow([input]);
    const output = input.replace(/\.ipynb$/, '.out.ipynb');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(
      `error: fails-in-cell-3.ipynb failed in cell 3 (In [3]): ValueError: boom in cell 3\nthe executed notebook is at ${output}`,
    );
    const nb = read(output);
    expect(nb.cells.map((c) => c.metadata.papermill?.status)).toEqual([
      undefined,
      'completed',
      'completed',
      undefined,
      'failed',
      'pending',
    ]);
  });

  it('exits 2 naming the available kernels for an unknown -k', async () => {
    const input = fixture('prints-cwd');
    const r = await flow([input, '-k', 'no-such-kernel']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(
      /^error: -k no-such-kernel: no such kernel on the Jupyter server \(available: .*python3.*\) — pick one of those with -k$/,
    );
  });

  it('interrupts a cell that prints forever at --execution-timeout and exits 1', async () => {
    const input = fixture('prints-forever');
    const r = await flow([input, '--execution-timeout', '1']);
    const output = input.replace(/\.ipynb$/, '.out.ipynb');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(
      `error: prints-forever.ipynb failed in cell 1 (In [1]): CellTimeoutError: a cell timed out: it ran longer than the cell timeout of 1s\nthe executed notebook is at ${output}`,
    );
    expect(stdoutOf(read(output).cells[2])).toMatch(/^(tick\n)+$/);
  });

  it('runs a notebook printing 20 MB with bounded memory, and the output has all of it', async () => {
    const input = fixture('print-20mb');
    const rssFile = join(tmp, 'rss.txt');
    // Measures flow's own process (kernel and server are separate processes).
    const probe = `data:text/javascript,import {writeFileSync} from "node:fs"; process.on("exit", () => writeFileSync(process.env.FLOW_TEST_RSS_FILE, String(process.resourceUsage().maxRSS)))`;
    const r = await execa('node', ['--import', probe, cliPath, 'exec', input], {
      reject: false,
      cwd: tmp,
      env: { FLOW_TEST_RSS_FILE: rssFile },
    });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const output = input.replace(/\.ipynb$/, '.out.ipynb');
    const nb = read(output);
    const text = stdoutOf(nb.cells[0]);
    expect(text.length).toBe(200_000 * 100);
    expect(text.split('\n').filter((l) => l === 'x'.repeat(99))).toHaveLength(200_000);
    expect(stdoutOf(nb.cells[1])).toBe('done\n');
    const maxRssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
    expect(maxRssMb).toBeLessThan(400);
  }, 120_000);

  it('wrote only notebooks that nbformat validates', async () => {
    await validateNotebooks(written);
  });
});
