// A matrix's instances: the product of its axes, with GitHub Actions' include and exclude.
import type { MatrixSpec } from './types.js';

/**
 * One parameter set per instance, in key order with the last axis varying fastest; then, as in
 * GitHub Actions, `exclude` drops the combinations it matches and each `include` entry adds its
 * keys to the combinations whose axes it matches, or is a combination of its own when none does.
 */
export function expandMatrixCombos(spec: MatrixSpec): Record<string, unknown>[] {
  let combos: Record<string, unknown>[] = [{}];
  for (const [axis, values] of Object.entries(spec.axes)) {
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [axis]: v })));
  }
  if (Object.keys(spec.axes).length === 0) combos = [];
  const matches = (combo: Record<string, unknown>, entry: Readonly<Record<string, unknown>>, keys: string[]) =>
    keys.every((k) => JSON.stringify(combo[k]) === JSON.stringify(entry[k]));
  for (const ex of spec.exclude ?? []) combos = combos.filter((c) => !matches(c, ex, Object.keys(ex)));
  const original = combos.length;
  for (const inc of spec.include ?? []) {
    const axisKeys = Object.keys(inc).filter((k) => k in spec.axes);
    const hits = axisKeys.length > 0 ? combos.slice(0, original).filter((c) => matches(c, inc, axisKeys)) : [];
    if (hits.length === 0) combos.push({ ...inc });
    for (const c of hits) Object.assign(c, inc);
  }
  return combos;
}
