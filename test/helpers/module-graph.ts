// Static (non-type, non-dynamic) imports reachable from a source module: what loading it costs.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { repoRoot } from './paths.js';

export function staticGraph(entry: string): { packages: Set<string>; files: Set<string> } {
  const packages = new Set<string>();
  const files = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(file, 'utf8');
    const re = /^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
    for (const [, spec] of source.matchAll(re)) {
      if (!spec!.startsWith('.')) {
        packages.add(spec!);
        continue;
      }
      const base = resolve(dirname(file), spec!).replace(/\.js$/, '');
      const target = [`${base}.ts`, `${base}.tsx`].find(existsSync);
      if (!target) throw new Error(`${file}: cannot resolve ${spec}`);
      visit(target);
    }
  };
  visit(join(repoRoot, entry));
  return { packages, files };
}
