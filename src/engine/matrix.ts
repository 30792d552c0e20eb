// Matrix fan-out: instances are the cartesian product of the axes, and their outputs become lists.
import type { MatrixSpec } from '../workflow/types.js';

/** One parameter set per instance, in key order with the last axis varying fastest. */
export function expandMatrix(spec: MatrixSpec): Record<string, unknown>[] {
  let combos: Record<string, unknown>[] = [{}];
  for (const [axis, values] of Object.entries(spec.axes)) {
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [axis]: v })));
  }
  return combos;
}

/** How many instances a matrix has, without building them. */
export function matrixSize(spec: MatrixSpec): number {
  return Object.values(spec.axes).reduce((n, values) => n * values.length, 1);
}

/**
 * Downstream sees `nodes.<id>.outputs.<name>` as a list in matrix order: declared outputs
 * first, then any other name an instance recorded (null where an instance did not).
 */
export function collectMatrixOutputs(
  declared: readonly string[],
  instances: readonly (Record<string, unknown> | undefined)[],
): Record<string, unknown[]> {
  const names = new Set(declared);
  for (const o of instances) for (const k of Object.keys(o ?? {})) names.add(k);
  const out: Record<string, unknown[]> = {};
  for (const name of names) out[name] = instances.map((o) => (o && name in o ? o[name] : null));
  return out;
}
