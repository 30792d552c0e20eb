// YAML text → document with source positions, and path → `file:line:col` lookups for messages.
import {
  LineCounter,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
  type Node,
  type Pair,
  type Scalar,
  type YAMLMap,
} from 'yaml';
import type { Diagnostic, SourcePos } from '../errors.js';

export type YamlPath = readonly (string | number)[];

/** A parsed YAML document that can say where any path's key or value was written. */
export class SourceMap {
  private readonly lines = new LineCounter();
  readonly doc: Document.Parsed;
  /** YAML syntax errors and duplicate keys. */
  readonly diagnostics: Diagnostic[] = [];
  /**
   * Per mapping, its first pair by key value (as yaml's getIn finds it) and by key text (as keyPos
   * compares): getIn scans a mapping's items, so one lookup per node of a 10,000-node `nodes:`
   * block made loading quadratic.
   */
  private readonly byValue = new WeakMap<YAMLMap, Map<unknown, Pair>>();
  private readonly byText = new WeakMap<YAMLMap, Map<string, Pair<Scalar>>>();

  constructor(
    readonly text: string,
    /** The file name used in messages, as the user wrote it. */
    readonly file: string,
    /** Integers as BigInt, exact past 2^53 (parameter values; a workflow's own numbers are plain). @default false */
    opts: { intAsBigInt?: boolean } = {},
  ) {
    // uniqueKeys off: duplicates are reported below with a message that names the first one.
    // merge: YAML merge keys (`<<: *audit`), which node() and keyPos() follow to where a value was written.
    this.doc = parseDocument(text, {
      lineCounter: this.lines,
      prettyErrors: false,
      uniqueKeys: false,
      merge: true,
      intAsBigInt: opts.intAsBigInt,
    });
    for (const e of this.doc.errors) {
      this.diagnostics.push({ severity: 'error', pos: this.at(e.pos[0]), message: `YAML: ${firstLine(e.message)}` });
    }
    for (const w of this.doc.warnings) {
      this.diagnostics.push({ severity: 'warning', pos: this.at(w.pos[0]), message: `YAML: ${firstLine(w.message)}` });
    }
    this.findDuplicateKeys(this.doc.contents, []);
  }

  /** Position of a character offset (1-based line and column). */
  at(offset: number): SourcePos {
    const { line, col } = this.lines.linePos(Math.max(0, Math.min(offset, this.text.length)));
    return { file: this.file, line, col };
  }

  /** The YAML node of a path's value, if it exists. */
  node(path: YamlPath): Node | undefined {
    if (path.length === 0) return (this.doc.contents as Node | null) ?? undefined;
    // What doc.getIn(path, true) finds, with a mapping's pairs looked up in an index.
    let n: unknown = this.doc.contents;
    for (const key of path) {
      if (isAlias(n)) n = n.resolve(this.doc);
      if (isMap(n)) n = this.lookup(n, (m) => this.pairByValue(m, key))?.value ?? undefined;
      else if (isSeq(n)) n = n.get(key, true);
      else return undefined;
    }
    if (isAlias(n)) n = n.resolve(this.doc);
    return n && typeof n === 'object' && 'range' in n ? (n as Node) : undefined;
  }

  /**
   * A mapping's pair by `find`, or else the pair of a mapping merged into it (`<<: *anchor` or
   * `<<: [*a, *b]`): a merged value's position is where the anchor wrote it.
   */
  private lookup<P extends Pair>(map: YAMLMap, find: (m: YAMLMap) => P | undefined, depth = 0): P | undefined {
    const own = find(map);
    if (own || depth > 10) return own;
    for (const item of map.items) {
      if (!isPair(item) || !isScalar(item.key) || typeof item.key.value !== 'symbol') continue;
      const sources = isSeq(item.value) ? item.value.items : [item.value];
      for (const source of sources) {
        const merged = isAlias(source) ? source.resolve(this.doc) : source;
        const pair = isMap(merged) ? this.lookup(merged, find, depth + 1) : undefined;
        if (pair) return pair;
      }
    }
    return undefined;
  }

  private pairByValue(map: YAMLMap, key: string | number): Pair | undefined {
    let index = this.byValue.get(map);
    if (!index) {
      index = new Map();
      for (const item of map.items) {
        // yaml compares with ===, which never matches NaN.
        if (isPair(item) && isScalar(item.key) && !Number.isNaN(item.key.value) && !index.has(item.key.value)) {
          index.set(item.key.value, item);
        }
      }
      this.byValue.set(map, index);
    }
    return index.get(key);
  }

  private pairByText(map: YAMLMap, key: string): Pair<Scalar> | undefined {
    let index = this.byText.get(map);
    if (!index) {
      index = new Map();
      for (const item of map.items) {
        if (isScalar(item.key) && item.key.range && !index.has(String(item.key.value))) {
          index.set(String(item.key.value), item as Pair<Scalar>);
        }
      }
      this.byText.set(map, index);
    }
    return index.get(key);
  }

  /** Where a path's value was written; falls back to the nearest existing ancestor. */
  valuePos(path: YamlPath): SourcePos {
    for (let p = path; ; p = p.slice(0, -1)) {
      const n = this.node(p);
      if (n?.range) return this.at(n.range[0]);
      if (p.length === 0) return this.at(0);
    }
  }

  /** Where a path's key was written (`path` ends with the key); falls back to valuePos. */
  keyPos(path: YamlPath): SourcePos {
    const parent = this.node(path.slice(0, -1));
    const key = path[path.length - 1];
    const pair = isMap(parent) ? this.lookup(parent, (m) => this.pairByText(m, String(key))) : undefined;
    if (pair?.key.range) return this.at(pair.key.range[0]);
    return this.valuePos(path);
  }

  /**
   * Offset of character `index` of a string value in the file, for positions inside expressions.
   * Exact for plain and quoted scalars without escapes; block scalars point at their start.
   */
  offsetInString(path: YamlPath, index: number): SourcePos {
    const n = this.node(path);
    if (!isScalar(n) || !n.range) return this.valuePos(path);
    switch (n.type) {
      case 'PLAIN':
        return this.at(n.range[0] + index);
      case 'QUOTE_DOUBLE':
      case 'QUOTE_SINGLE':
        return this.at(n.range[0] + 1 + index);
      default:
        return this.at(n.range[0]);
    }
  }

  private findDuplicateKeys(node: unknown, path: (string | number)[]): void {
    if (isMap(node)) {
      const seen = new Map<string, number>();
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const key = isScalar(item.key) ? String(item.key.value) : undefined;
        if (key !== undefined && isScalar(item.key) && item.key.range) {
          const first = seen.get(key);
          if (first !== undefined) {
            const what = path.length === 1 && path[0] === 'nodes' ? 'node id' : path.length === 1 && path[0] === 'params' ? 'param' : 'key';
            this.diagnostics.push({
              severity: 'error',
              pos: this.at(item.key.range[0]),
              message: `duplicate ${what} "${key}" (first written at line ${this.at(first).line})`,
              hint: 'each key may appear once in a mapping',
            });
          } else seen.set(key, item.key.range[0]);
        }
        this.findDuplicateKeys(item.value, key === undefined ? path : [...path, key]);
      }
    } else if (isSeq(node)) {
      for (const [i, item] of node.items.entries()) this.findDuplicateKeys(item, [...path, i]);
    }
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}
