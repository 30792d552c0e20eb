// Write a file so that readers see the old or the new content, never half of it.
import { rename, rm, writeFile } from 'node:fs/promises';

let counter = 0;

/** Writes a temp file next to `path`, then renames it over `path` (atomic on one filesystem). */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${counter++}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** JSON.stringify replacer for CEL's BigInt integers: numbers when exact, else strings. */
export function bigintReplacer(_key: string, value: unknown): unknown {
  if (typeof value !== 'bigint') return value;
  const safe = value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER);
  return safe ? Number(value) : value.toString();
}
