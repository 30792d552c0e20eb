// Matrix fan-out: instances are the cartesian product of the axes, and their outputs become lists.
import { expandMatrixCombos } from '../workflow/matrix-combos.js';
import type { MatrixSpec } from '../workflow/types.js';

/** One parameter set per instance, in matrix order (see expandMatrixCombos). */
export function expandMatrix(spec: MatrixSpec): Record<string, unknown>[] {
  return expandMatrixCombos(spec);
}

/** How many instances a matrix has. */
export function matrixSize(spec: MatrixSpec): number {
  if (!spec.include?.length && !spec.exclude?.length) return Object.values(spec.axes).reduce((n, values) => n * values.length, 1);
  return expandMatrix(spec).length;
}

/**
 * A matrix node's outputs by instance, keyed by the value of its first axis
 * (`nodes.audit.by.row_counts.status`); instances whose key repeats keep the first.
 */
export function matrixOutputsByKey(spec: MatrixSpec, lists: Record<string, unknown>): Record<string, Record<string, unknown>> {
  const axis = Object.keys(spec.axes)[0];
  const by: Record<string, Record<string, unknown>> = {};
  if (axis === undefined) return by;
  expandMatrix(spec).forEach((combo, i) => {
    const key = String(combo[axis]);
    if (key in by) return;
    by[key] = Object.fromEntries(Object.entries(lists).map(([name, list]) => [name, Array.isArray(list) ? list[i] : undefined]));
  });
  return by;
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
