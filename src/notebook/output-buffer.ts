// Turns a cell's iopub messages into nbformat outputs, as nbclient does, with bounded memory for
// cells that print megabytes.
import type { DisplayDataOutput, ExecuteResultOutput, Output, StreamOutput } from './types.js';

type DisplayOutput = DisplayDataOutput | ExecuteResultOutput;

/** Stream text is kept as chunks of about this size: appends never copy the whole text. */
const CHUNK = 64 * 1024;

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

  constructor(
    private readonly displays: DisplayIndex,
    target: Output[] | { outputs: Output[] } = [],
    private readonly onChange?: () => void,
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
        const out: DisplayOutput =
          msgType === 'display_data'
            ? { output_type: 'display_data', data: content.data ?? {}, metadata: content.metadata ?? {} }
            : {
                output_type: 'execute_result',
                data: content.data ?? {},
                metadata: content.metadata ?? {},
                execution_count: content.execution_count ?? null,
              };
        this.append(out);
        if (displayId) this.displays.add(displayId, out);
        return true;
      }
      case 'update_display_data':
        if (!displayId) return false;
        this.displays.update(displayId, content.data ?? {}, content.metadata ?? {});
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
      const tail = chunks[chunks.length - 1] ?? '';
      // V8 concatenates small strings lazily (ropes), so growing the tail chunk is cheap.
      if (tail.length + text.length <= CHUNK) chunks[chunks.length - 1] = tail + text;
      else chunks.push(text);
      return true;
    }
    const out: StreamOutput = { output_type: 'stream', name, text: [text] };
    this.outputs.push(out);
    return true;
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
