// Turns a cell's iopub messages into nbformat outputs, as nbclient does, with bounded memory for
// cells that print megabytes.
import type { DisplayDataOutput, ExecuteResultOutput, Output, StreamOutput } from './types.js';

type DisplayOutput = DisplayDataOutput | ExecuteResultOutput;

/** Stream text is kept as chunks of about this size: appends never copy the whole text. */
const CHUNK = 64 * 1024;

/**
 * The most one output keeps, in characters (32 MiB): a stream longer than that keeps its first
 * and last halves with a note between them saying how much was dropped; a display that is larger
 * is replaced by a note. Without a bound, a cell that prints without end fills flow's memory.
 */
export const DEFAULT_OUTPUT_LIMIT = 32 * 1024 * 1024;

/** A stream output past the limit: its text is [...head, note, ...tail]. */
interface Cut {
  /** Chunks before the note (the first half, fixed). */
  head: number;
  /** Characters in the chunks after the note (at most half the limit). */
  tail: number;
  dropped: number;
}

/**
 * Where each `display_id` was shown, across all cells of a notebook, so that
 * `update_display_data` (or a new display with the same id) updates every copy. One per notebook.
 */
export class DisplayIndex {
  private readonly byId = new Map<string, Set<DisplayOutput>>();

  add(displayId: string, output: DisplayOutput): void {
    let set = this.byId.get(displayId);
    if (!set) this.byId.set(displayId, (set = new Set()));
    set.add(output);
  }

  update(displayId: string, data: Record<string, unknown>, metadata: Record<string, unknown>): void {
    for (const out of this.byId.get(displayId) ?? []) {
      out.data = data;
      out.metadata = metadata;
    }
  }

  /** Forgets outputs that were cleared. */
  remove(outputs: Iterable<Output>): void {
    for (const out of outputs) {
      if (out.output_type !== 'display_data' && out.output_type !== 'execute_result') continue;
      for (const set of this.byId.values()) set.delete(out);
    }
  }
}

/**
 * The outputs of one cell being executed. Feed it every iopub message of the cell. Give it the
 * cell (or its `outputs` array): the outputs are changed in place, so the notebook stays live for
 * the saver, and `onChange` (e.g. the saver's `schedule`) runs after each change. Consecutive stream messages of one name merge into one output whose `text` is a
 * list of chunks (nbformat's list-of-strings form; the writer splits it into lines).
 */
export class CellOutputs {
  private clearPending = false;
  private readonly holder: { outputs: Output[] };
  /** Characters of each stream output so far (those still under the limit). */
  private readonly sizes = new WeakMap<StreamOutput, number>();
  private readonly cuts = new WeakMap<StreamOutput, Cut>();
  /** Characters dropped from this cell's outputs for the limit. */
  dropped = 0;

  constructor(
    private readonly displays: DisplayIndex,
    target: Output[] | { outputs: Output[] } = [],
    private readonly onChange?: () => void,
    /** Characters one output may hold (see DEFAULT_OUTPUT_LIMIT). */
    private readonly limit = DEFAULT_OUTPUT_LIMIT,
  ) {
    this.holder = Array.isArray(target) ? { outputs: target } : target;
  }

  /** The cell's outputs (the array given, or the cell's current `outputs`). */
  get outputs(): Output[] {
    return this.holder.outputs;
  }

  /** Applies one iopub message. Returns whether the outputs changed (a save is due). */
  onMessage(msgType: string, content: IOPubContent): boolean {
    const changed = this.apply(msgType, content);
    if (changed) this.onChange?.();
    return changed;
  }

  private apply(msgType: string, content: IOPubContent): boolean {
    const displayId: string | undefined = content?.transient?.display_id ?? undefined;
    switch (msgType) {
      case 'stream':
        return this.stream(content.name === 'stderr' ? 'stderr' : 'stdout', String(content.text ?? ''));
      case 'display_data':
      case 'execute_result': {
        // A new display with a known id also updates the earlier ones (nbclient does the same).
        if (displayId) this.displays.update(displayId, content.data ?? {}, content.metadata ?? {});
        const data = this.bounded(content.data ?? {});
        const out: DisplayOutput =
          msgType === 'display_data'
            ? { output_type: 'display_data', data, metadata: content.metadata ?? {} }
            : {
                output_type: 'execute_result',
                data,
                metadata: content.metadata ?? {},
                execution_count: content.execution_count ?? null,
              };
        this.append(out);
        if (displayId) this.displays.add(displayId, out);
        return true;
      }
      case 'update_display_data':
        if (!displayId) return false;
        this.displays.update(displayId, this.bounded(content.data ?? {}), content.metadata ?? {});
        return true;
      case 'error':
        this.append({
          output_type: 'error',
          ename: String(content.ename ?? ''),
          evalue: String(content.evalue ?? ''),
          traceback: Array.isArray(content.traceback) ? content.traceback.map(String) : [],
        });
        return true;
      case 'clear_output':
        if (content?.wait) {
          this.clearPending = true; // cleared by the next output, so that animations do not flicker
          return false;
        }
        this.clear();
        return true;
      default:
        return false;
    }
  }

  /**
   * Ends the cell: resolves `\r` (a line overwritten in place, as progress bars do) and backspaces
   * in stream text, as nbclient's coalesce_streams does. Joins each stream's chunks once.
   */
  finish(): void {
    for (const out of this.outputs) {
      if (out.output_type !== 'stream') continue;
      const text = Array.isArray(out.text) ? out.text : [out.text];
      if (!text.some((t) => t.includes('\r') || t.includes('\b'))) continue;
      out.text = [resolveControlChars(text.join(''))];
    }
  }

  private stream(name: 'stdout' | 'stderr', text: string): boolean {
    if (text === '') return false;
    this.applyPendingClear();
    const last = this.outputs[this.outputs.length - 1];
    if (last?.output_type === 'stream' && last.name === name) {
      const chunks = Array.isArray(last.text) ? last.text : (last.text = [last.text]);
      const cut = this.cuts.get(last);
      if (cut) {
        this.keepTail(chunks, cut, text);
        return true;
      }
      const tail = chunks[chunks.length - 1] ?? '';
      // V8 concatenates small strings lazily (ropes), so growing the tail chunk is cheap.
      if (chunks.length > 0 && tail.length + text.length <= CHUNK) chunks[chunks.length - 1] = tail + text;
      else chunks.push(text);
      const size = (this.sizes.get(last) ?? 0) + text.length;
      if (size > this.limit) this.cut(last, chunks);
      else this.sizes.set(last, size);
      return true;
    }
    const out: StreamOutput = { output_type: 'stream', name, text: [] };
    this.sizes.set(out, 0);
    this.outputs.push(out);
    return this.stream(name, text);
  }

  /** A stream output just went past the limit: it keeps its first half, a note, and what follows. */
  private cut(out: StreamOutput, chunks: string[]): void {
    const half = Math.floor(this.limit / 2);
    const all = chunks.join('');
    chunks.length = 0;
    for (let i = 0; i < half; i += CHUNK) chunks.push(all.slice(i, Math.min(i + CHUNK, half)));
    const cut: Cut = { head: chunks.length, tail: 0, dropped: 0 };
    chunks.push('');
    this.sizes.delete(out);
    this.cuts.set(out, cut);
    this.keepTail(chunks, cut, all.slice(half));
  }

  /** Appends `text` after the note, dropping from the front of the tail what exceeds half the limit. */
  private keepTail(chunks: string[], cut: Cut, text: string): void {
    const half = Math.floor(this.limit / 2);
    for (let i = 0; i < text.length; i += CHUNK) chunks.push(text.slice(i, i + CHUNK));
    cut.tail += text.length;
    let excess = cut.tail - half;
    const first = cut.head + 1;
    let whole = 0;
    while (excess > 0 && first + whole < chunks.length && chunks[first + whole]!.length <= excess) {
      excess -= chunks[first + whole]!.length;
      whole++;
    }
    if (whole > 0) chunks.splice(first, whole);
    if (excess > 0) chunks[first] = chunks[first]!.slice(excess);
    const removed = Math.max(cut.tail - half, 0);
    cut.tail -= removed;
    cut.dropped += removed;
    this.dropped += removed;
    chunks[cut.head] =
      `\n[flow: ${formatChars(cut.dropped)} of this output dropped here: it is longer than the output limit of ${formatChars(this.limit)}, of which the first and last halves are kept]\n`;
  }

  /** A display's data, or a note in its place when it is larger than the limit. */
  private bounded(data: Record<string, unknown>): Record<string, unknown> {
    let size = 0;
    for (const v of Object.values(data))
      size += typeof v === 'string' ? v.length : Array.isArray(v) ? v.join('').length : JSON.stringify(v ?? null).length;
    if (size <= this.limit) return data;
    this.dropped += size;
    return {
      'text/plain': `[flow: a display of ${formatChars(size)} was dropped: it is larger than the output limit of ${formatChars(this.limit)}]`,
    };
  }

  private append(out: Output): void {
    this.applyPendingClear();
    this.outputs.push(out);
  }

  private applyPendingClear(): void {
    if (!this.clearPending) return;
    this.clearPending = false;
    this.clear();
  }

  private clear(): void {
    this.displays.remove(this.outputs);
    this.outputs.length = 0;
  }
}

/** The fields of an iopub message's content that outputs are made of (untyped JSON from the kernel). */
export interface IOPubContent {
  name?: string;
  text?: string;
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  execution_count?: number | null;
  ename?: string;
  evalue?: string;
  traceback?: unknown;
  wait?: boolean;
  transient?: { display_id?: string };
  [field: string]: unknown;
}

/** nbclient's rules: drop a character before a backspace; drop what a `\r` (not before `\n`) overwrites. */
export function resolveControlChars(text: string): string {
  let prev: string;
  do {
    prev = text;
    text = text.replace(/[^\n\x08]\x08/g, '');
  } while (text.length < prev.length);
  return text.replace(/[^\n]*\r(?=[^\n])/g, '');
}

/** A number of characters, as a person reads it: 512 B, 3.2 MiB (one character counted as a byte). */
export function formatChars(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  const mib = n / (1024 * 1024);
  return Number.isInteger(mib) ? `${mib} MiB` : `${mib.toFixed(1)} MiB`;
}
