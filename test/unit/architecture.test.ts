// The dependency direction of shared/STYLE.md, read from the code: type imports and dynamic imports count too.
import { describe, expect, it } from 'vitest';
import { findCycles, importEdges, sourceModules } from '../helpers/import-graph.js';

/**
 * Layers, highest first; a module may import its own folder and any lower layer. STYLE.md's chain
 * `cli → run → engine, report, ui → graph, kernel, notebook, ledger → workflow → errors`, with one
 * layer it has no place for: `events`, the run's vocabulary (RunEvent, RunState), which the ledger
 * (below the engine) records and the engine emits. docs/architecture.md says why each one is where it is.
 */
const LAYERS: string[][] = [
  ['index.ts'],
  ['cli'],
  ['schedule'],
  ['run'],
  ['notify'],
  ['engine', 'report', 'summary', 'ui'],
  ['graph', 'kernel', 'notebook', 'ledger'],
  ['events'],
  ['workflow'],
  ['errors.ts', 'process-alive.ts', 'package-root.ts', 'python-package.ts', 'settle-within.ts', 'pid-lock.ts'],
];

/** Imports between folders of one layer that are allowed, each with its reason. */
const SIBLINGS: Record<string, string> = {
  // The live view renders the same words (durations, skip reasons) as the text reporters.
  'ui → report': 'shared wording',
  // The kernel layer executes notebooks: it reads, injects and writes them.
  'kernel → notebook': 'executing a notebook',
  // The Python package is a folder of the package root.
  'python-package.ts → package-root.ts': 'where flow is installed',
  // A lock is stale when the process that took it is gone.
  'pid-lock.ts → process-alive.ts': 'whether the holder lives',
};

function unitOf(module: string): string {
  return module.includes('/') ? module.split('/')[0]! : module;
}

function layerOf(unit: string): number {
  const i = LAYERS.findIndex((layer) => layer.includes(unit));
  if (i < 0) throw new Error(`src/${unit} is in no layer: add it to LAYERS`);
  return i;
}

describe('architecture', () => {
  const edges = importEdges();

  it('reads the imports of every module', () => {
    expect(sourceModules().length).toBeGreaterThan(100);
    expect(edges.some((e) => e.kind === 'type')).toBe(true);
    expect(edges.some((e) => e.kind === 'dynamic')).toBe(true);
  });

  it('imports point down the layers (type imports and dynamic imports included)', () => {
    const wrong = edges
      .filter((e) => {
        const [a, b] = [unitOf(e.from), unitOf(e.to)];
        if (a === b) return false;
        const [la, lb] = [layerOf(a), layerOf(b)];
        return la > lb || (la === lb && !(`${a} → ${b}` in SIBLINGS));
      })
      .map((e) => `${e.from} → ${e.to} (${e.kind})`);
    expect(wrong).toEqual([]);
  });

  it('has no import cycle between modules', () => {
    expect(findCycles(edges).map((c) => c.join(' → '))).toEqual([]);
  });

  it('the public entry point exports the API and nothing else: it is imported by no module', () => {
    expect(edges.filter((e) => e.to === 'index.ts').map((e) => e.from)).toEqual([]);
  });
});
