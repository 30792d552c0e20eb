// Where flow is installed, and its version: the folder that holds package.json (and python/, .venv).
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: src/ and dist/ are both one level below it. */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

let version: string | undefined;
/** flow's version, from its package.json (read once). */
export function packageVersion(): string {
  version ??= (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}
