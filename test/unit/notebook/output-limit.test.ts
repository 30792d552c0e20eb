// The per-output limit: a stream longer than it keeps its first and last halves around a note
// that says how much was dropped; a display larger than it becomes a note; below it, nothing changes.
import { describe, expect, it } from 'vitest';
import { CellOutputs, DEFAULT_OUTPUT_LIMIT, DisplayIndex, formatChars } from '../../../src/notebook/output-buffer.js';
import type { Output, StreamOutput } from '../../../src/notebook/types.js';

const textOf = (o: Output) => {
  const t = (o as StreamOutput).text;
  return Array.isArray(t) ? t.join('') : t;
};

function feed(limit: number, writes: string[], name = 'stdout'): { outputs: Output[]; cell: CellOutputs } {
  const outputs: Output[] = [];
  const cell = new CellOutputs(new DisplayIndex(), outputs, undefined, limit);
  for (const text of writes) cell.onMessage('stream', { name, text });
  return { outputs, cell };
}

describe('the per-output limit', () => {
  it('is 32 MiB by default', () => {
    expect(DEFAULT_OUTPUT_LIMIT).toBe(32 * 1024 * 1024);
    expect(formatChars(DEFAULT_OUTPUT_LIMIT)).toBe('32 MiB');
  });

  it('leaves an output within the limit as it is', () => {
    const writes = Array.from({ length: 10 }, (_, i) => `line ${i}\n`);
    const { outputs, cell } = feed(1000, writes);
    expect(outputs).toHaveLength(1);
    expect(textOf(outputs[0]!)).toBe(writes.join(''));
    expect(cell.dropped).toBe(0);
  });

  it('keeps the first and last halves of a longer stream, with a note of what was dropped between', () => {
    const limit = 200_000;
    // 1,000 writes of 1,000 numbered characters: 1,000,000 in all.
    const writes = Array.from({ length: 1000 }, (_, i) => `${String(i).padStart(4, '0')}${'.'.repeat(995)}\n`);
    const all = writes.join('');
    const { outputs, cell } = feed(limit, writes);
    expect(outputs).toHaveLength(1);
    const text = textOf(outputs[0]!);
    const note = text.match(
      /\n\[flow: (.*) of this output dropped here: it is longer than the output limit of (.*), of which the first and last halves are kept\]\n/,
    );
    expect(note, text.slice(100_000, 100_300)).not.toBeNull();
    const [head, tail] = text.split(note![0]);
    expect(head).toBe(all.slice(0, limit / 2));
    expect(tail).toBe(all.slice(all.length - limit / 2));
    expect(cell.dropped).toBe(all.length - limit);
    expect(note![1]).toBe(formatChars(all.length - limit));
    expect(note![2]).toBe(formatChars(limit));
  });

  it('cuts a single write longer than the limit the same way', () => {
    const all = 'a'.repeat(300) + 'b'.repeat(400) + 'c'.repeat(300);
    const { outputs, cell } = feed(600, [all]);
    const text = textOf(outputs[0]!);
    expect(text.startsWith(`${'a'.repeat(300)}\n[flow: 400 B of this output dropped here`)).toBe(true);
    expect(text.endsWith(`]\n${'c'.repeat(300)}`)).toBe(true);
    expect(cell.dropped).toBe(400);
  });

  it('bounds stdout and stderr each on their own', () => {
    const outputs: Output[] = [];
    const cell = new CellOutputs(new DisplayIndex(), outputs, undefined, 100);
    cell.onMessage('stream', { name: 'stdout', text: 'o'.repeat(150) });
    cell.onMessage('stream', { name: 'stderr', text: 'e'.repeat(80) });
    expect(outputs.map((o) => (o as StreamOutput).name)).toEqual(['stdout', 'stderr']);
    expect(textOf(outputs[0]!)).toMatch(/^o{50}\n\[flow: 50 B of this output dropped here.*\]\no{50}$/);
    expect(textOf(outputs[1]!)).toBe('e'.repeat(80));
  });

  it('replaces a display larger than the limit by a note, and keeps a smaller one', () => {
    const outputs: Output[] = [];
    const cell = new CellOutputs(new DisplayIndex(), outputs, undefined, 1000);
    cell.onMessage('display_data', { data: { 'text/html': 'x'.repeat(5000) }, metadata: {} });
    cell.onMessage('display_data', { data: { 'text/plain': 'small' }, metadata: {} });
    expect(outputs.map((o) => (o as { data: Record<string, unknown> }).data)).toEqual([
      { 'text/plain': '[flow: a display of 4.9 KiB was dropped: it is larger than the output limit of 1000 B]' },
      { 'text/plain': 'small' },
    ]);
    expect(cell.dropped).toBe(5000);
  });
});
