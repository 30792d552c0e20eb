import { describe, expect, test } from 'vitest';
import { CellOutputs, DisplayIndex, resolveControlChars } from '../../../src/notebook/output-buffer.js';
import { serializeNotebookPieces } from '../../../src/notebook/serialize-notebook.js';
import type { Notebook, Output } from '../../../src/notebook/types.js';

const text = (o: Output | undefined) => (o?.output_type === 'stream' ? ([] as string[]).concat(o.text).join('') : undefined);
const display = (id: string | undefined, plain: string) => ({
  data: { 'text/plain': plain },
  metadata: {},
  ...(id ? { transient: { display_id: id } } : {}),
});

describe('CellOutputs', () => {
  test('consecutive streams of one name merge; another name or output starts a new one', () => {
    const c = new CellOutputs(new DisplayIndex());
    c.onMessage('stream', { name: 'stdout', text: 'a' });
    c.onMessage('stream', { name: 'stdout', text: 'b\n' });
    c.onMessage('stream', { name: 'stderr', text: 'e\n' });
    c.onMessage('stream', { name: 'stdout', text: 'c\n' });
    c.onMessage('execute_result', { data: { 'text/plain': '1' }, metadata: {}, execution_count: 3 });
    c.onMessage('stream', { name: 'stdout', text: 'd\n' });
    expect(c.outputs.map((o) => [o.output_type, text(o)])).toEqual([
      ['stream', 'ab\n'],
      ['stream', 'e\n'],
      ['stream', 'c\n'],
      ['execute_result', undefined],
      ['stream', 'd\n'],
    ]);
    expect(c.outputs[3]).toEqual({ output_type: 'execute_result', data: { 'text/plain': '1' }, metadata: {}, execution_count: 3 });
  });

  test('errors become nbformat error outputs; unknown messages change nothing', () => {
    const c = new CellOutputs(new DisplayIndex());
    expect(c.onMessage('status', { execution_state: 'busy' })).toBe(false);
    expect(c.onMessage('execute_input', { code: 'x' })).toBe(false);
    expect(c.onMessage('error', { ename: 'ValueError', evalue: 'bad', traceback: ['l1', 'l2'] })).toBe(true);
    expect(c.outputs).toEqual([{ output_type: 'error', ename: 'ValueError', evalue: 'bad', traceback: ['l1', 'l2'] }]);
  });

  test('clear_output clears now; with wait=true it clears at the next output', () => {
    const c = new CellOutputs(new DisplayIndex());
    c.onMessage('stream', { name: 'stdout', text: '1\n' });
    c.onMessage('clear_output', { wait: false });
    expect(c.outputs).toEqual([]);
    c.onMessage('stream', { name: 'stdout', text: '2\n' });
    expect(c.onMessage('clear_output', { wait: true })).toBe(false);
    expect(c.outputs.map(text)).toEqual(['2\n']);
    c.onMessage('stream', { name: 'stdout', text: '3\n' });
    expect(c.outputs.map(text)).toEqual(['3\n']);
  });

  test('display ids update every copy, across cells, and display_data with a known id updates too', () => {
    const index = new DisplayIndex();
    const cell1 = new CellOutputs(index);
    const cell2 = new CellOutputs(index);
    cell1.onMessage('display_data', display('d1', 'v1'));
    cell1.onMessage('display_data', display(undefined, 'other'));
    cell2.onMessage('update_display_data', display('d1', 'v2'));
    expect(cell2.outputs).toEqual([]);
    expect(cell1.outputs[0]).toEqual({ output_type: 'display_data', data: { 'text/plain': 'v2' }, metadata: {} });
    cell2.onMessage('display_data', display('d1', 'v3'));
    expect([cell1.outputs[0], cell2.outputs[0]].map((o) => (o as { data: unknown }).data)).toEqual([
      { 'text/plain': 'v3' },
      { 'text/plain': 'v3' },
    ]);
    expect(cell1.outputs[1]).toEqual({ output_type: 'display_data', data: { 'text/plain': 'other' }, metadata: {} });
    expect(cell2.onMessage('update_display_data', display('unknown', 'x'))).toBe(true);
    expect(cell2.onMessage('update_display_data', display(undefined, 'x'))).toBe(false);
  });

  test('a cleared display is no longer updated', () => {
    const index = new DisplayIndex();
    const cell = new CellOutputs(index);
    cell.onMessage('display_data', display('d', 'v1'));
    const old = cell.outputs[0];
    cell.onMessage('clear_output', {});
    cell.onMessage('update_display_data', display('d', 'v2'));
    expect((old as { data: unknown }).data).toEqual({ 'text/plain': 'v1' });
  });

  test('given a cell, writes into its current outputs and calls onChange after each change', () => {
    const cell = { outputs: [] as Output[] };
    let changes = 0;
    const c = new CellOutputs(new DisplayIndex(), cell, () => changes++);
    c.onMessage('stream', { name: 'stdout', text: 'x' });
    c.onMessage('status', { execution_state: 'idle' });
    c.onMessage('clear_output', { wait: true });
    expect(changes).toBe(1);
    cell.outputs = [];
    c.onMessage('stream', { name: 'stdout', text: 'y' });
    expect(cell.outputs.map(text)).toEqual(['y']);
    expect(changes).toBe(2);
  });

  test('writes into the array it is given (the cell stays live)', () => {
    const outputs: Output[] = [];
    new CellOutputs(new DisplayIndex(), outputs).onMessage('stream', { name: 'stdout', text: 'x' });
    expect(outputs.map(text)).toEqual(['x']);
  });

  test('20 MB of prints stay in few chunks and serialize to every line', () => {
    const c = new CellOutputs(new DisplayIndex());
    const line = `${'x'.repeat(99)}\n`;
    for (let i = 0; i < 200_000; i++) c.onMessage('stream', { name: 'stdout', text: line });
    const out = c.outputs[0]!;
    expect(c.outputs).toHaveLength(1);
    const chunks = (out as { text: string[] }).text;
    expect(chunks.length).toBeLessThanOrEqual(Math.ceil(20_000_000 / (64 * 1024)) + 1);
    const nb: Notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [{ cell_type: 'code', id: 'c', source: '', metadata: {}, outputs: c.outputs, execution_count: 1 }],
    };
    let lines = 0;
    let longest = 0;
    for (const piece of serializeNotebookPieces(nb)) {
      if (piece.includes(`"${'x'.repeat(99)}\\n"`)) lines++;
      longest = Math.max(longest, piece.length);
    }
    expect(lines).toBe(200_000);
    expect(longest).toBeLessThan(200);
  });

  test('finish resolves carriage returns and backspaces as nbclient does', () => {
    const c = new CellOutputs(new DisplayIndex());
    c.onMessage('stream', { name: 'stdout', text: ' 10%\r' });
    c.onMessage('stream', { name: 'stdout', text: ' 50%\r100%\nab\bc\r\nend' });
    c.finish();
    expect(c.outputs.map(text)).toEqual(['100%\nac\r\nend']);
  });
});

describe('resolveControlChars', () => {
  test.each([
    ['abc\rxy', 'xy'],
    ['progress\r', 'progress\r'],
    ['a\r\nb', 'a\r\nb'],
    ['one\ntwo\rTWO\nthree', 'one\nTWO\nthree'],
    ['abc\b\bd', 'ad'],
    ['\bx', '\bx'],
    ['a\n\bb', 'a\n\bb'],
  ])('%j', (input, output) => {
    expect(resolveControlChars(input)).toBe(output);
  });
});
