// Serializes a Notebook exactly as nbformat writes it (1-space indent, sorted keys, multiline
// strings as line lists), as a stream of pieces so that a 20 MB notebook is never one string.
import type { Notebook } from './types.js';

type Splitter = 'lines' | 'mimebundle' | undefined;

/** nbformat splits these non-`text/*` mimetypes into lines too. */
const SPLIT_MIMES = new Set(['application/javascript', 'image/svg+xml']);

/** Python's `str.splitlines` boundaries; `\r\n` counts as one. */
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;

/** The whole notebook as one string, with nbformat's trailing newline. For small notebooks and tests. */
export function serializeNotebook(nb: Notebook): string {
  return [...serializeNotebookPieces(nb)].join('');
}

/** The notebook's JSON text in pieces, ending with a newline; join or write them in order. */
export function* serializeNotebookPieces(nb: Notebook): Generator<string> {
  yield* value(nb, 0, notebookChild);
  yield '\n';
}

type ChildRule = (key: string, parent: Record<string, unknown>) => Rule;
interface Rule {
  split?: Splitter;
  child?: ChildRule;
  item?: ChildRule; // applied to each array element's children
  skip?: boolean;
}

const outputChild: ChildRule = (key, out) => {
  if (key === 'transient') return { skip: true }; // not part of nbformat; nbclient drops it too
  const t = out.output_type;
  if (key === 'data' && (t === 'display_data' || t === 'execute_result')) return { split: 'mimebundle' };
  if (key === 'text' && t === 'stream') return { split: 'lines' };
  return {};
};
const attachmentsChild: ChildRule = () => ({ split: 'mimebundle' });
const cellChild: ChildRule = (key) => {
  if (key === 'source') return { split: 'lines' };
  if (key === 'outputs') return { item: outputChild };
  if (key === 'attachments') return { child: attachmentsChild };
  return {};
};
const notebookChild: ChildRule = (key) => (key === 'cells' ? { item: cellChild } : {});

function* value(v: unknown, depth: number, child?: ChildRule, item?: ChildRule): Generator<string> {
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    v = (v as { toJSON: () => unknown }).toJSON();
  }
  if (typeof v === 'bigint') return yield v.toString();
  if (typeof v === 'number') return yield Number.isFinite(v) ? JSON.stringify(v) : 'null';
  if (v === null || typeof v !== 'object') return yield JSON.stringify(v) ?? 'null';
  const pad = `\n${' '.repeat(depth + 1)}`;
  if (Array.isArray(v)) {
    if (v.length === 0) return yield '[]';
    yield '[';
    for (let i = 0; i < v.length; i++) {
      yield i === 0 ? pad : `,${pad}`;
      yield* value(v[i], depth + 1, item);
    }
    return yield `\n${' '.repeat(depth)}]`;
  }
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined && typeof obj[k] !== 'function')
    .sort();
  let first = true;
  for (const k of keys) {
    const rule = child?.(k, obj) ?? {};
    if (rule.skip) continue;
    yield `${(first ? '{' : ',') + pad + JSON.stringify(k)}: `;
    first = false;
    const val = obj[k];
    if (rule.split === 'lines' && (typeof val === 'string' || Array.isArray(val))) {
      yield* lines(val as string | string[], depth + 1);
    } else if (rule.split === 'mimebundle' && val !== null && typeof val === 'object' && !Array.isArray(val)) {
      yield* value(val, depth + 1, (mime) => (mime.startsWith('text/') || SPLIT_MIMES.has(mime) ? { split: 'lines' } : {}));
    } else {
      yield* value(val, depth + 1, rule.child, rule.item);
    }
  }
  yield first ? '{}' : `\n${' '.repeat(depth)}}`;
}

/** A string, or a list of chunks meant to be concatenated, written as nbformat's list of lines. */
function* lines(text: string | string[], depth: number): Generator<string> {
  const pad = `\n${' '.repeat(depth + 1)}`;
  let count = 0;
  const emit = (line: string) => (count++ === 0 ? '[' : ',') + pad + JSON.stringify(line);
  for (const line of splitLines(typeof text === 'string' ? [text] : text)) yield emit(line);
  yield count === 0 ? '[]' : `\n${' '.repeat(depth)}]`;
}

/**
 * Python's `''.join(chunks).splitlines(True)`, without joining the chunks: each chunk is scanned
 * once, so a long line arriving in many chunks costs linear time.
 */
export function* splitLines(chunks: Iterable<string>): Generator<string> {
  let pending: string[] = []; // pieces of the current line, with no line break in them
  let heldCr = false; // the last chunk ended in \r, which may be half of a \r\n
  const take = (tail: string): string => {
    const line = pending.length === 0 ? tail : pending.join('') + tail;
    pending = [];
    return line;
  };
  for (const chunk of chunks) {
    if (typeof chunk !== 'string' || chunk === '') continue;
    let start = 0;
    if (heldCr) {
      heldCr = false;
      const crlf = chunk.charCodeAt(0) === 10;
      yield take(crlf ? '\r\n' : '\r');
      if (crlf) start = 1;
    }
    LINE_BREAK.lastIndex = start;
    for (let m = LINE_BREAK.exec(chunk); m; m = LINE_BREAK.exec(chunk)) {
      if (m[0] === '\r' && m.index === chunk.length - 1) {
        pending.push(chunk.slice(start, m.index));
        heldCr = true;
        start = chunk.length;
        break;
      }
      const end = m.index + m[0].length;
      yield take(chunk.slice(start, end));
      start = end;
    }
    if (start < chunk.length) pending.push(chunk.slice(start));
  }
  if (heldCr) yield take('\r');
  else if (pending.length > 0) yield take('');
}
