// Cells that print without end, on real kernels: flow's memory stays bounded (its heap is capped
// here at 512 MB, so keeping 1 GB of output would crash it), each output keeps at most the output
// limit (32 MiB: its first and last halves, with a note between), and the run goes on.
import { execa } from 'execa';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/ledger/run-record.js';
import { DEFAULT_OUTPUT_LIMIT } from '../../src/notebook/output-buffer.js';
import { cliPath } from '../helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'flow-huge-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));

/** A one-cell Python notebook. */
function notebook(name: string, source: string): string {
  const file = join(dir, `${name}.ipynb`);
  const nb = {
    cells: [{ cell_type: 'code', execution_count: null, id: 'only', metadata: {}, outputs: [], source }],
    metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' }, language_info: { name: 'python' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  writeFileSync(file, JSON.stringify(nb));
  return file;
}

/** Writes `mb` MB to stdout in 1 MB writes (x, then y for the last one), then `done`. */
const printMb = (mb: number) =>
  `import sys\nfor i in range(${mb}):\n    sys.stdout.write(('x' if i < ${mb - 1} else 'y') * 1_000_000)\nprint('done')`;

/** The text of the first code cell's stdout (a failed notebook starts with a banner cell). */
function stdoutOf(path: string): string {
  const nb = JSON.parse(readFileSync(path, 'utf8')) as {
    cells: { cell_type: string; outputs?: { output_type: string; name?: string; text?: string | string[] }[] }[];
  };
  const cell = nb.cells.find((c) => c.cell_type === 'code' && (c.outputs?.length ?? 0) > 0)!;
  return cell
    .outputs!.filter((o) => o.output_type === 'stream' && o.name === 'stdout')
    .map((o) => (Array.isArray(o.text) ? o.text.join('') : (o.text ?? '')))
    .join('');
}

const NOTE =
  /\n\[flow: ([\d.]+) MiB of this output dropped here: it is longer than the output limit of 32 MiB, of which the first and last halves are kept\]\n/;

describe('cells that print without end', () => {
  it('flow exec: 150 MB to stdout in 1 MB writes finishes, keeping 32 MiB with a note', async () => {
    const input = notebook('print-150mb', printMb(150));
    const output = join(dir, 'print-150mb.out.ipynb');
    const r = await execa('node', [cliPath, 'exec', input, output], {
      reject: false,
      all: true,
      env: { NODE_OPTIONS: '--max-old-space-size=512' },
      timeout: 240_000,
    });
    expect(r.exitCode, r.all).toBe(0);
    expect(r.all).toMatch(/cell 1 printed more than the output limit of 32 MiB per output: [\d.]+ MiB were dropped from the middle/);
    const text = stdoutOf(output);
    const note = text.match(NOTE);
    expect(note, text.slice(0, 200)).not.toBeNull();
    const [head, tail] = text.split(note![0]);
    expect(head).toBe('x'.repeat(DEFAULT_OUTPUT_LIMIT / 2));
    expect(tail!.length).toBe(DEFAULT_OUTPUT_LIMIT / 2);
    expect(tail!.endsWith(`${'y'.repeat(1_000_000)}done\n`)).toBe(true);
    // 150,000,005 characters in all: what was not kept is what the note says was dropped.
    expect(Number(note![1])).toBeCloseTo((150_000_005 - DEFAULT_OUTPUT_LIMIT) / 2 ** 20, 1);
  }, 300_000);

  it('flow run: 1 GB of output, then a cell that prints forever until its timeout, then the next node', async () => {
    notebook('flood', printMb(1000));
    notebook('forever', "import sys\nwhile True:\n    sys.stdout.write('z' * 65536)");
    notebook('after', "print('after ran')");
    writeFileSync(
      join(dir, 'huge.yml'),
      [
        'name: huge',
        'nodes:',
        '  flood: { notebook: flood.ipynb }',
        '  forever: { notebook: forever.ipynb, timeout: 4s, needs: [flood], run_if: all_done }',
        '  after: { notebook: after.ipynb, needs: [flood, forever], run_if: all_done }',
        '',
      ].join('\n'),
    );
    const runs = join(dir, 'runs');
    const r = await execa('node', [cliPath, 'run', 'huge.yml', '--reporter', 'plain', '--runs-dir', runs], {
      cwd: dir,
      reject: false,
      all: true,
      env: { NODE_OPTIONS: '--max-old-space-size=512' },
      timeout: 600_000,
    });
    expect(r.exitCode, r.all).toBe(1); // forever timed out
    const [name] = readdirSync(join(runs, 'huge'));
    const runDir = join(runs, 'huge', name!);
    const run = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as RunRecord;
    expect(Object.fromEntries(Object.entries(run.nodes).map(([id, n]) => [id, n.status]))).toEqual({
      flood: 'succeeded',
      forever: 'failed',
      after: 'succeeded',
    });
    expect(run.nodes.forever!.attempts[0]!.error?.errorClass).toBe('timeout');

    const flood = stdoutOf(join(runDir, 'flood.ipynb'));
    expect(flood).toMatch(NOTE);
    expect(flood.length).toBeLessThan(DEFAULT_OUTPUT_LIMIT + 1000);
    expect(flood.endsWith(`${'y'.repeat(1_000_000)}done\n`)).toBe(true);
    const forever = stdoutOf(join(runDir, 'forever.ipynb'));
    expect(forever.length).toBeLessThan(DEFAULT_OUTPUT_LIMIT + 1000);
    expect(forever).toMatch(/^z+/);
  }, 660_000);
});
