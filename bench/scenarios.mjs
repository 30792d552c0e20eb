// Writes the benchmark's notebooks and workflows into bench/.work/scenarios (generated each run).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const KERNELSPEC = { display_name: 'Python 3', language: 'python', name: 'python3' };

function code(id, source, tags) {
  return { cell_type: 'code', execution_count: null, id, metadata: tags ? { tags } : {}, outputs: [], source };
}

function notebook(name, sources, paramsSource) {
  const cells = [];
  if (paramsSource !== undefined) cells.push(code(`${name}-p`, paramsSource, ['parameters']));
  for (const [i, s] of sources.entries()) cells.push(code(`${name}-${i}`, s));
  return { cells, metadata: { kernelspec: KERNELSPEC, language_info: { name: 'python' } }, nbformat: 4, nbformat_minor: 5 };
}

function write(path, value) {
  writeFileSync(path, typeof value === 'string' ? value : `${JSON.stringify(value, null, 1)}\n`);
}

/**
 * Scenarios (each a folder): `chain` 10 parameterized notebooks, each reading the previous one's
 * output; `sleep8` 8 independent notebooks sleeping 2 s; `cells100` one notebook of 100 trivial
 * cells; `print20mb` one notebook printing 20 MB; `wide1000` 1,000-node workflows to validate (flow
 * style, and block style with expressions).
 * @returns the folder of each scenario.
 */
export function writeScenarios(root) {
  const dirs = {};
  const mk = (name) => {
    const d = join(root, name);
    mkdirSync(d, { recursive: true });
    dirs[name] = d;
    return d;
  };

  // A chain: papermill runs the 10 notebooks one after another with -p x <i>; flow passes each
  // node's output y on as the next node's x (more work for flow: one output probe per node).
  const chain = mk('chain');
  write(join(chain, 'step.ipynb'), notebook('step', ['y = x + 1\nprint(y)'], 'x = 0'));
  let wf = 'name: bench-chain\nconcurrency: 1\nnodes:\n';
  for (let i = 0; i < 10; i++) {
    wf += `  n${i}:\n    notebook: step.ipynb\n    outputs: { y: integer }\n`;
    wf += i === 0 ? '    params: { x: 0 }\n' : `    needs: [n${i - 1}]\n    params: { x: "\${{ nodes.n${i - 1}.outputs.y }}" }\n`;
  }
  write(join(chain, 'chain.yml'), wf);

  // 8 independent sleepers.
  const sleep8 = mk('sleep8');
  write(join(sleep8, 'sleep.ipynb'), notebook('sleep', ['import time\ntime.sleep(seconds)'], 'seconds = 2'));
  wf = 'name: bench-sleep8\nconcurrency: 8\nnodes:\n';
  for (let i = 0; i < 8; i++) wf += `  s${i}: { notebook: sleep.ipynb }\n`;
  write(join(sleep8, 'sleep8.yml'), wf);

  // 6 sleepers and a join, at concurrency 6 (against 6 bare kernels at once); 100 trivial
  // notebooks at concurrency 2 (the fork server against launched kernels).
  const fanout6 = mk('fanout6');
  write(join(fanout6, 'sleep.ipynb'), notebook('sleep', ['import time\ntime.sleep(seconds)'], 'seconds = 2'));
  write(join(fanout6, 'done.ipynb'), notebook('done', ['done = True']));
  wf = 'name: bench-fanout6\nconcurrency: 6\nnodes:\n';
  for (let i = 0; i < 6; i++) wf += `  s${i}: { notebook: sleep.ipynb }\n`;
  wf += `  join: { notebook: done.ipynb, needs: [${Array.from({ length: 6 }, (_, i) => `s${i}`).join(', ')}] }\n`;
  write(join(fanout6, 'fanout6.yml'), wf);
  const fanout100 = mk('fanout100');
  write(join(fanout100, 'step.ipynb'), notebook('step', ['y = x + 1'], 'x = 0'));
  wf = 'name: bench-fanout100\nconcurrency: 2\nnodes:\n';
  for (let i = 0; i < 100; i++) wf += `  n${i}: { notebook: step.ipynb, params: { x: ${i} } }\n`;
  write(join(fanout100, 'fanout100.yml'), wf);

  // 100 trivial cells.
  const cells100 = mk('cells100');
  write(
    join(cells100, 'cells100.ipynb'),
    notebook(
      'c100',
      Array.from({ length: 100 }, (_, i) => `v${i} = ${i}`),
      'seed = 0',
    ),
  );
  write(join(cells100, 'cells100.yml'), 'name: bench-cells100\nnodes:\n  c: { notebook: cells100.ipynb }\n');

  // 20 MB of stdout in one cell (200,000 lines of 100 bytes).
  const big = mk('print20mb');
  write(
    join(big, 'print20mb.ipynb'),
    notebook(
      'p20',
      ['import sys\nline = "x" * 99 + "\\n"\nfor _ in range(200_000):\n    sys.stdout.write(line)', 'print("done")'],
      'n = 0',
    ),
  );
  write(join(big, 'print20mb.yml'), 'name: bench-print20mb\nnodes:\n  p: { notebook: print20mb.ipynb }\n');

  // 1,000 nodes in layers of 10, each needing two nodes of the layer before: for `flow validate`.
  const wide = mk('wide1000');
  write(join(wide, 'n.ipynb'), notebook('n', ['pass'], 'x = 0'));
  wf = 'name: bench-wide1000\nconcurrency: 8\nnodes:\n';
  for (let i = 0; i < 1000; i++) {
    const layer = Math.floor(i / 10);
    const needs = layer === 0 ? '' : `, needs: [n${(layer - 1) * 10 + (i % 10)}, n${(layer - 1) * 10 + ((i + 1) % 10)}]`;
    wf += `  n${i}: { notebook: n.ipynb, params: { x: ${i} }${needs} }\n`;
  }
  write(join(wide, 'wide1000.yml'), wf);

  // The same graph written as people write workflows: block style, each node reading an
  // upstream output in a param expression and an \`if\`, with declared outputs and a retry policy.
  wf = 'name: bench-wide1000-block\nconcurrency: 8\nparams:\n  year: { type: integer, default: 2026 }\nnodes:\n';
  for (let i = 0; i < 1000; i++) {
    const layer = Math.floor(i / 10);
    wf += `  n${i}:\n    notebook: n.ipynb\n`;
    if (layer === 0) wf += `    params:\n      x: ${i}\n`;
    else {
      const a = (layer - 1) * 10 + (i % 10);
      const b = (layer - 1) * 10 + ((i + 1) % 10);
      wf += `    needs: [n${a}, n${b}]\n    params:\n      x: "\${{ nodes.n${a}.outputs.y + params.year }}"\n`;
      wf += `    if: "nodes.n${b}.outputs.y > 0"\n`;
    }
    wf += '    outputs:\n      y: integer\n    retry: { attempts: 2 }\n';
  }
  write(join(wide, 'wide1000-block.yml'), wf);
  return dirs;
}
