// Fails the whole test run, before any test, when no Jupyter is installed: integration tests
// never skip silently (in CI or anywhere else).
import { findJupyter } from '../../src/kernel/find-jupyter.js';
import { repoRoot } from './paths.js';

export default function setup(): void {
  try {
    const found = findJupyter({ cwd: repoRoot });
    process.env.FLOW_JUPYTER = found.jupyter;
  } catch (err) {
    throw new Error(`The tests need Jupyter: ${(err as Error).message}\nRun \`npm run setup\` first (it creates ./.venv).`);
  }
}
