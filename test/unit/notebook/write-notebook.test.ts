import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import fc from 'fast-check';
import { parseNotebook } from '../../../src/notebook/read-notebook.js';
import { serializeNotebook, splitLines } from '../../../src/notebook/serialize-notebook.js';
import { createNotebookSaver, writeNotebookAtomic } from '../../../src/notebook/write-notebook.js';
import type { Notebook } from '../../../src/notebook/types.js';
import { fixturesDir } from '../../helpers/paths.js';
import { runPython } from '../../helpers/python.js';

const nbDir = join(fixturesDir, 'notebooks');
const empty = (): Notebook => ({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] });

describe('serializeNotebook', () => {
  test('writes every fixture byte for byte as nbformat wrote it', () => {
    for (const f of readdirSync(nbDir).filter((n) => n.endsWith('.ipynb') && !n.startsWith('nbformat'))) {
      const text = readFileSync(join(nbDir, f), 'utf8');
      expect(serializeNotebook(parseNotebook(text, f)), f).toBe(text);
    }
  });

  test('splits sources, stream chunks and text mimetypes into lines; drops transient; sorts keys', () => {
    const nb: Notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { z: 1, a: { big: 12345678901234567890n, nan: NaN } },
      cells: [
        {
          cell_type: 'code',
          id: 'c1',
          source: 'a\nb',
          metadata: {},
          execution_count: 1,
          outputs: [
            { output_type: 'stream', name: 'stdout', text: ['x', 'y\nz', '\r', '\nw'] },
            {
              output_type: 'display_data',
              data: { 'text/plain': 'p\nq', 'application/json': { k: 'v\nw' }, 'image/png': 'AAAA\nBBBB' },
              metadata: {},
              transient: { display_id: 'd' },
            },
          ],
        },
      ],
    };
    expect(serializeNotebook(nb)).toBe(
      [
        '{',
        ' "cells": [',
        '  {',
        '   "cell_type": "code",',
        '   "execution_count": 1,',
        '   "id": "c1",',
        '   "metadata": {},',
        '   "outputs": [',
        '    {',
        '     "name": "stdout",',
        '     "output_type": "stream",',
        '     "text": [',
        '      "xy\\n",',
        '      "z\\r\\n",',
        '      "w"',
        '     ]',
        '    },',
        '    {',
        '     "data": {',
        '      "application/json": {',
        '       "k": "v\\nw"',
        '      },',
        '      "image/png": "AAAA\\nBBBB",',
        '      "text/plain": [',
        '       "p\\n",',
        '       "q"',
        '      ]',
        '     },',
        '     "metadata": {},',
        '     "output_type": "display_data"',
        '    }',
        '   ],',
        '   "source": [',
        '    "a\\n",',
        '    "b"',
        '   ]',
        '  }',
        ' ],',
        ' "metadata": {',
        '  "a": {',
        '   "big": 12345678901234567890,',
        '   "nan": null',
        '  },',
        '  "z": 1',
        ' },',
        ' "nbformat": 4,',
        ' "nbformat_minor": 5',
        '}',
        '',
      ].join('\n'),
    );
  });

  test('an empty source is an empty list', () => {
    const nb = empty();
    nb.cells.push({ cell_type: 'markdown', id: 'm', source: '', metadata: {} });
    expect(serializeNotebook(nb)).toContain('"source": []');
  });
});

describe('splitLines', () => {
  test.each([
    [['a\r\nb'], ['a\r\n', 'b']],
    [
      ['a\r', '\nb'],
      ['a\r\n', 'b'],
    ],
    [
      ['a\r', 'b'],
      ['a\r', 'b'],
    ],
    [['a\r'], ['a\r']],
    [['a', 'b', 'c\n'], ['abc\n']],
    [['\u2028x\x0by\x85'], ['\u2028', 'x\x0b', 'y\x85']],
    [['', '\n', ''], ['\n']],
  ])('%j', (chunks, lines) => {
    expect([...splitLines(chunks)]).toEqual(lines);
  });

  test("matches Python's ''.join(chunks).splitlines(True) for any chunking", () => {
    const samples = fc.sample(
      fc.array(fc.string({ unit: fc.constantFrom('a', 'é', '\n', '\r', '\x0b', '\x1c', '\u2028', '\x85', ' ') })),
      200,
    );
    const expected = JSON.parse(
      runPython(
        'import json,sys\nprint(json.dumps([("".join(c)).splitlines(True) for c in json.load(sys.stdin)]))',
        JSON.stringify(samples),
      ),
    ) as string[][];
    for (const [i, chunks] of samples.entries()) expect([...splitLines(chunks)]).toEqual(expected[i]);
  });
});

describe('writeNotebookAtomic', () => {
  test('writes the notebook and leaves no temp file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flow-write-'));
    const path = join(dir, 'out.ipynb');
    const nb = empty();
    await writeNotebookAtomic(path, nb);
    await writeNotebookAtomic(path, { ...nb, metadata: { v: 2 } });
    expect(readFileSync(path, 'utf8')).toBe('{\n "cells": [],\n "metadata": {\n  "v": 2\n },\n "nbformat": 4,\n "nbformat_minor": 5\n}\n');
    expect(readdirSync(dir)).toEqual(['out.ipynb']);
  });

  test('a failed write leaves the old file and no temp file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flow-write-'));
    const path = join(dir, 'out.ipynb');
    await writeNotebookAtomic(path, empty());
    const bad = empty() as Notebook & { metadata: { boom: unknown } };
    bad.metadata.boom = {
      toJSON: () => {
        throw new Error('cannot serialize');
      },
    };
    await expect(writeNotebookAtomic(path, bad)).rejects.toThrow('cannot serialize');
    expect(readdirSync(dir)).toEqual(['out.ipynb']);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(empty());
  });
});

describe('createNotebookSaver', () => {
  afterEach(() => vi.useRealTimers());

  /** A write the test finishes by hand, recording what overlapped. */
  function fakeWrites() {
    const calls: { resolve: () => void; reject: (e: Error) => void; version: unknown }[] = [];
    let active = 0;
    let maxActive = 0;
    const write = (_path: string, nb: Notebook) =>
      new Promise<void>((resolve, reject) => {
        active++;
        maxActive = Math.max(maxActive, active);
        const done = (f: () => void) => () => {
          active--;
          f();
        };
        calls.push({
          resolve: done(resolve),
          reject: (e) => {
            active--;
            reject(e);
          },
          version: nb.metadata.v,
        });
      });
    return { calls, write, maxActive: () => maxActive };
  }

  test('coalesces, writes at most once per interval, never overlaps, and flush always writes', async () => {
    vi.useFakeTimers();
    const nb = empty();
    const w = fakeWrites();
    const saver = createNotebookSaver('x.ipynb', () => nb, { intervalMs: 1000, write: w.write });
    nb.metadata.v = 1;
    saver.schedule();
    saver.schedule();
    await vi.advanceTimersByTimeAsync(0);
    expect(w.calls.map((c) => c.version)).toEqual([1]); // the first save is immediate
    nb.metadata.v = 2;
    saver.schedule();
    saver.schedule();
    await vi.advanceTimersByTimeAsync(999);
    expect(w.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(5000);
    expect(w.calls).toHaveLength(1); // the first write is still running: no overlap
    w.calls[0]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(w.calls.map((c) => c.version)).toEqual([1, 2]);
    nb.metadata.v = 3;
    saver.schedule();
    const flushed = saver.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(w.calls).toHaveLength(2); // flush waits for the write in progress
    w.calls[1]!.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(w.calls.map((c) => c.version)).toEqual([1, 2, 3]);
    w.calls[2]!.resolve();
    await flushed;
    await vi.advanceTimersByTimeAsync(5000);
    expect(w.calls).toHaveLength(3); // the pending schedule was folded into the flush
    expect(w.maxActive()).toBe(1);
  });

  test('a failed background save is reported and retried; a failed flush throws', async () => {
    vi.useFakeTimers();
    const nb = empty();
    const w = fakeWrites();
    const errors: unknown[] = [];
    const saver = createNotebookSaver('x.ipynb', () => nb, { intervalMs: 1000, write: w.write, onError: (e) => errors.push(e) });
    saver.schedule();
    await vi.advanceTimersByTimeAsync(0);
    w.calls[0]!.reject(new Error('disk full'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(errors.map(String)).toEqual(['Error: disk full']);
    expect(w.calls).toHaveLength(2);
    w.calls[1]!.resolve();
    const flushed = saver.flush();
    await vi.advanceTimersByTimeAsync(0);
    w.calls[2]!.reject(new Error('still full'));
    await expect(flushed).rejects.toThrow('still full');
  });
});
