// Every import between flow's source modules (static, type-only and dynamic), read from the code.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { repoRoot } from './paths.js';

export interface ImportEdge {
  /** Importing module, relative to src/ (e.g. `engine/scheduler.ts`). */
  from: string;
  /** Imported module, relative to src/. */
  to: string;
  kind: 'static' | 'type' | 'dynamic';
}

const srcDir = join(repoRoot, 'src');

/** Every .ts/.tsx file under src/, relative to it. */
export function sourceModules(dir = srcDir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceModules(path);
    return /\.tsx?$/.test(name) ? [relative(srcDir, path)] : [];
  });
}

// `import … from '…'`, `export … from '…'`, `import '…'`, and `import('…')`, with whether the
// whole statement is type-only. Comments are stripped first, so an example in a comment is not an import.
const STATEMENT = /(?:^|[;\n])\s*(import|export)(\s+type)?\s+(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/g;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

export function importEdges(): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const from of sourceModules()) {
    const text = stripComments(readFileSync(join(srcDir, from), 'utf8'));
    const add = (spec: string, kind: ImportEdge['kind']) => {
      if (!spec.startsWith('.')) return;
      edges.push({ from, to: resolveSpec(from, spec), kind });
    };
    for (const [, , typeOnly, spec] of text.matchAll(STATEMENT)) add(spec!, typeOnly ? 'type' : 'static');
    for (const [, spec] of text.matchAll(DYNAMIC)) add(spec!, 'dynamic');
  }
  return edges;
}

function resolveSpec(from: string, spec: string): string {
  const base = resolve(srcDir, dirname(from), spec).replace(/\.js$/, '');
  const file = [`${base}.ts`, `${base}.tsx`, base].find((f) => existsSync(f) && statSync(f).isFile());
  if (!file) throw new Error(`src/${from}: cannot resolve ${spec}`);
  return relative(srcDir, file);
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** Cycles among modules (each as a path `a → b → a`), found by depth-first search. */
export function findCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (m: string) => {
    state.set(m, 'open');
    stack.push(m);
    for (const n of next.get(m) ?? []) {
      if (state.get(n) === 'open') cycles.push([...stack.slice(stack.indexOf(n)), n]);
      else if (!state.has(n)) visit(n);
    }
    stack.pop();
    state.set(m, 'done');
  };
  for (const m of next.keys()) if (!state.has(m)) visit(m);
  return cycles;
}
