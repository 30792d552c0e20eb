// A float whose value is whole: 2.0 is not the integer 2 in Python, though a JS number cannot tell them apart.

/**
 * A float whose value is whole, as `-p x 1.0` types it, or as a `number` param or a CEL double
 * holds it: papermill injects `x = 1.0`, and so must flow. JSON has no such distinction, so it
 * serializes as the plain number; the declared type (`number`) restores it when read back.
 */
export class WholeFloat {
  constructor(readonly value: number) {}
  toJSON(): number {
    return this.value;
  }
}

/** A `number` param's value as flow holds it: whole values become WholeFloat, so that they are injected as floats. */
export function asFloat(v: unknown): unknown {
  return typeof v === 'number' && Number.isInteger(v) ? new WholeFloat(v) : v;
}

/** A WholeFloat's number; any other value as it is (for comparisons and checks). */
export function plainValue(v: unknown): unknown {
  return v instanceof WholeFloat ? v.value : v;
}
