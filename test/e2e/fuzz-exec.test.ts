// Issue 19: broken notebook files fed to `flow inspect` and `flow exec --prepare-only` (the built
// CLI) never crash flow: exit 0, or 2 with one `error:` line naming the file (and, for a JSON
// syntax error, FILE:LINE:COL), never 1, 70 or a signal, no stack trace, nothing written on an
// error, and no Jupyter server or kernel started by --prepare-only. Seeded mutations of the repo's
// notebooks: cut short, JSON syntax broken, fields of the wrong type or deleted, nbformat 3/5/none,
// deep nesting, random bytes, and fuzzed parameters cells (which `inspect` parses).
// FLOW_FUZZ_SEED=N reruns with another seed, FLOW_FUZZ_CASES=N with more cases; a failure names
// its seed and case and keeps its file.
import { execa } from 'execa';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { cliPath, fixturesDir, repoRoot } from '../helpers/paths.js';
import { type Rng, rng } from '../helpers/rng.js';

const SEED = Number(process.env.FLOW_FUZZ_SEED ?? 19_2024);
const CASES = Number(process.env.FLOW_FUZZ_CASES ?? 30);

// ---------------------------------------------------------------------------------------------
// Cases come from a seeded PRNG (test/helpers/rng.ts): the same seed gives the same files on every machine.

// ---------------------------------------------------------------------------------------------
// The notebooks to start from: the fixtures and the examples (all nbformat 4).

const notebookFiles = [
  ...readdirSync(join(fixturesDir, 'notebooks'))
    .filter((f) => f.endsWith('.ipynb') && f !== 'nbformat3.ipynb')
    .map((f) => join(fixturesDir, 'notebooks', f)),
  ...['hesa', 'audits'].flatMap((d) =>
    readdirSync(join(repoRoot, 'notebooks', d))
      .filter((f) => f.endsWith('.ipynb'))
      .map((f) => join(repoRoot, 'notebooks', d, f)),
  ),
];
const originals = notebookFiles.map((path) => ({ path, text: readFileSync(path, 'utf8') }));

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const wrongValues: (() => Json)[] = [
  () => null,
  () => 0,
  () => -1,
  () => 1.5,
  () => 1e308,
  () => true,
  () => '',
  () => 'x',
  () => 'parameters',
  () => 'code',
  () => [],
  () => [null],
  () => [1, 2],
  () => [[['x']]],
  () => ({}),
  () => ({ name: 1 }),
  () => ({ cell_type: 'code' }),
  () => ({ output_type: 'bogus' }),
  () => JSON.parse('{"__proto__": {"polluted": 1}}') as Json,
  () => 'x'.repeat(100_000),
];

/** The places in a notebook that flow reads, as paths (a number: an index into the list). */
function interestingPaths(nb: { cells?: unknown }, r: Rng): (string | number)[][] {
  const cells = Array.isArray(nb.cells) ? nb.cells : [];
  const i = cells.length > 0 ? r.int(cells.length) : 0;
  const paramsCell = cells.findIndex((c) => JSON.stringify((c as { metadata?: unknown })?.metadata ?? {}).includes('"parameters"'));
  const p = paramsCell >= 0 ? paramsCell : i;
  return [
    ['cells'],
    ['cells', i],
    ['cells', i, 'cell_type'],
    ['cells', i, 'source'],
    ['cells', i, 'source', 0],
    ['cells', i, 'outputs'],
    ['cells', i, 'outputs', 0],
    ['cells', i, 'metadata'],
    ['cells', i, 'execution_count'],
    ['cells', i, 'id'],
    ['cells', i, 'attachments'],
    ['cells', p, 'source'],
    ['cells', p, 'source', 0],
    ['cells', p, 'metadata'],
    ['cells', p, 'metadata', 'tags'],
    ['cells', p, 'metadata', 'tags', 0],
    ['metadata'],
    ['metadata', 'kernelspec'],
    ['metadata', 'kernelspec', 'name'],
    ['metadata', 'kernelspec', 'language'],
    ['metadata', 'language_info'],
    ['metadata', 'language_info', 'name'],
    ['metadata', 'papermill'],
    ['metadata', 'papermill', 'parameters'],
    ['nbformat_minor'],
  ];
}

function setAt(doc: Json, path: (string | number)[], value: Json | undefined): void {
  let node: any = doc;
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return;
    node = node[key];
  }
  if (node === null || typeof node !== 'object') return;
  const last = path.at(-1)!;
  if (value === undefined) {
    if (Array.isArray(node) && typeof last === 'number') node.splice(last, 1);
    else delete node[last];
  } else node[last] = value;
}

/** Deletes one key (or list item) anywhere in the document, at a random depth. */
function deleteRandomField(doc: Json, r: Rng): string {
  const paths: (string | number)[][] = [];
  const walk = (n: Json, path: (string | number)[]) => {
    if (n === null || typeof n !== 'object') return;
    const entries = Array.isArray(n) ? n.map((v, k) => [k, v] as const) : Object.entries(n);
    for (const [k, v] of entries) {
      paths.push([...path, k]);
      walk(v, [...path, k]);
    }
  };
  walk(doc, []);
  if (paths.length === 0) return 'nothing';
  const path = r.pick(paths);
  setAt(doc, path, undefined);
  return path.join('.');
}

const pythonLines = [
  'alpha = 0.5',
  'alpha: float = 0.5  # learning rate',
  'name = "world"  # who',
  "x: 'int' = 3",
  'x: int',
  'x =',
  '= 1',
  'a = b = 1',
  'a == 1',
  'l = [1,',
  '     2]',
  'd = {"k": # comment',
  '  1}',
  '"""',
  "'''",
  '# type: int',
  'x = 1  # type: int',
  'x = 1  # type:',
  'x = 1 #',
  'ñame = "ü"',
  '变量 = 1',
  '😀 = 1',
  '\t\tx = 1',
  'x = 1\r',
  'x = 1\u2028y = 2',
  'x = 1\u000by = 2',
  'def f(x=1):',
  '    return x',
  'import os',
  'if True: x = 1',
  'x = lambda: 1',
  '\\',
  '',
  '   ',
  '#',
  'x = "a#b"  # c',
  `x = ${'1'.repeat(5000)}`,
  `x${' '.repeat(3000)}=${' '.repeat(3000)}1${' '.repeat(3000)}#`,
  `x = ${'#'.repeat(3000)}`,
  `x = ${'['.repeat(2000)}`,
  '\u0000',
];

function randomBytes(r: Rng, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = r.int(256);
  return b;
}

interface Case {
  name: string;
  kind: string;
  from: string;
  what: string;
  content: Buffer;
  /** inspect --json; exec with -p alpha 0.7 -p name fuzz; exec with -k python3. */
  options: { json: boolean; params: boolean; kernel: boolean };
}

const kinds = [
  'truncated',
  'syntax',
  'wrongType',
  'nbformat',
  'nesting',
  'bytes',
  'deletions',
  'parametersCell',
  'mixed',
  'wrongType',
] as const;

function makeCase(i: number): Case {
  const seed = (SEED * 1_000_003 + i * 7919) >>> 0;
  const o = rng(seed ^ 0x5bd1e995);
  const options = { json: o.chance(0.3), params: o.chance(0.7), kernel: o.chance(0.5) };
  return { ...makeContent(i, rng(seed)), options };
}

function makeContent(i: number, r: Rng): Omit<Case, 'options'> {
  const kind = kinds[i % kinds.length]!;
  const src = r.pick(originals);
  const from = src.path.slice(repoRoot.length + 1);
  const nb = () => JSON.parse(src.text) as Json & { [k: string]: Json };
  const text = (doc: Json) => Buffer.from(r.chance(0.5) ? JSON.stringify(doc, null, 1) : JSON.stringify(doc));
  const name = `fuzz-${i}`;
  switch (kind) {
    case 'truncated': {
      const at = r.int(src.text.length);
      return { name, kind, from, what: `cut at ${at} of ${src.text.length}`, content: Buffer.from(src.text.slice(0, at)) };
    }
    case 'syntax': {
      let t = src.text;
      const edits: string[] = [];
      for (let k = 1 + r.int(3); k > 0; k--) {
        const at = r.int(t.length);
        const op = r.int(4);
        const ch = r.pick([',', '}', ']', '{', '[', '"', ':', "'", '\\', '\n', '\t', 'x', '0', '/*', 'NaN', '\u0000', '\u00e9']);
        if (op === 0) t = t.slice(0, at) + t.slice(at + 1);
        else if (op === 1) t = t.slice(0, at) + ch + t.slice(at);
        else if (op === 2) t = t.slice(0, at) + ch + t.slice(at + 1);
        else t = `${t.slice(0, at)},${t.slice(at)}`;
        edits.push(`${['delete', 'insert', 'replace', 'comma'][op]} at ${at}`);
      }
      return { name, kind, from, what: edits.join(', '), content: Buffer.from(t) };
    }
    case 'wrongType':
    case 'mixed': {
      const doc = nb();
      const edits: string[] = [];
      for (let k = 1 + r.int(kind === 'mixed' ? 4 : 2); k > 0; k--) {
        if (kind === 'mixed' && r.chance(0.5)) {
          edits.push(`delete ${deleteRandomField(doc, r)}`);
          continue;
        }
        const path = r.pick(interestingPaths(doc as { cells?: unknown }, r));
        const value = r.pick(wrongValues)();
        setAt(doc, path, value);
        edits.push(`${path.join('.')} = ${JSON.stringify(value).slice(0, 40)}`);
      }
      return { name, kind, from, what: edits.join(', '), content: text(doc) };
    }
    case 'nbformat': {
      const doc = nb();
      const v = r.pick<Json | undefined>([3, 5, 2, 0, -1, 4.5, '4', null, [], {}, undefined, 1e308]);
      if (v === undefined) delete doc.nbformat;
      else doc.nbformat = v;
      if (r.chance(0.5)) doc.nbformat_minor = r.pick<Json>([-1, 99, '5', null, 1.5]);
      if (v === 3 && r.chance(0.5)) {
        delete doc.cells;
        doc.worksheets = [{ cells: [] }];
      }
      let t = text(doc).toString();
      if (r.chance(0.2)) t = t.replace(/"nbformat": ?[^,}]*/, '"nbformat": 1e999');
      return { name, kind, from, what: `nbformat ${JSON.stringify(v) ?? 'missing'}`, content: Buffer.from(t) };
    }
    case 'nesting': {
      const depth = r.pick([1000, 30_000, 100_000]);
      const open = r.chance(0.5) ? '[' : '{"a":';
      const close = open === '[' ? ']' : '}';
      const closed = r.chance(0.5);
      const deep = `${open.repeat(depth)}${closed ? `1${close.repeat(depth)}` : ''}`;
      const where = r.pick(['metadata', 'cell metadata', 'source', 'outputs']);
      const doc = nb();
      const marker = '"__DEEP__"';
      if (where === 'metadata') (doc.metadata as Record<string, Json>).deep = '__DEEP__';
      else {
        const cells = doc.cells as Record<string, Json>[];
        const cell = cells[r.int(cells.length)]!;
        if (where === 'cell metadata') (cell.metadata as Record<string, Json>).deep = '__DEEP__';
        else cell[where] = '__DEEP__';
      }
      return {
        name,
        kind,
        from,
        what: `${closed ? 'closed' : 'unclosed'} nesting ${depth} deep of ${open} in ${where}`,
        content: Buffer.from(JSON.stringify(doc).replace(marker, deep)),
      };
    }
    case 'bytes': {
      const choice = r.int(10);
      const contents: [string, () => Buffer][] = [
        ['random bytes', () => randomBytes(r, 1 + r.int(2000))],
        ['empty', () => Buffer.alloc(0)],
        ['a BOM only', () => Buffer.from('\ufeff')],
        ['UTF-16LE with a BOM', () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(src.text, 'utf16le')])],
        ['null', () => Buffer.from('null')],
        ['a list', () => Buffer.from('[]')],
        ['a string', () => Buffer.from('"notebook"')],
        ['NUL bytes', () => Buffer.alloc(100)],
        [
          'random bytes inside',
          () => Buffer.concat([Buffer.from(src.text.slice(0, 200)), randomBytes(r, 50), Buffer.from(src.text.slice(200))]),
        ],
        ['invalid UTF-8 in a string', () => Buffer.from(src.text.replace('"source": [', '"source": ["\udc80\ud800", '))],
      ];
      const [what, make] = contents[choice]!;
      return { name, kind, from, what, content: make() };
    }
    case 'deletions': {
      const doc = nb();
      const edits: string[] = [];
      for (let k = 1 + r.int(5); k > 0; k--) edits.push(deleteRandomField(doc, r));
      return { name, kind, from, what: `delete ${edits.join(', ')}`, content: text(doc) };
    }
    case 'parametersCell': {
      const doc = nb();
      const cells = doc.cells as Record<string, Json>[];
      let index = cells.findIndex((c) => JSON.stringify(c.metadata ?? {}).includes('"parameters"'));
      if (index < 0) {
        index = 0;
        cells.unshift({ cell_type: 'code', metadata: { tags: ['parameters'] }, source: '', outputs: [], execution_count: null });
      }
      const ls = Array.from({ length: 1 + r.int(8) }, () => r.pick(pythonLines));
      cells[index]!.source = r.chance(0.5) ? ls.join('\n') : ls.map((l, k) => (k < ls.length - 1 ? `${l}\n` : l));
      if (r.chance(0.2)) (doc.metadata as Record<string, Json>).language_info = { name: r.pick(['python', 'Python', 'R', '', 'julia']) };
      return { name, kind, from, what: `parameters cell ${JSON.stringify(ls).slice(0, 200)}`, content: text(doc) };
    }
  }
}

const cases = Array.from({ length: CASES }, (_, i) => makeCase(i));

// What this fuzzing found (issue 19), pinned: each is a bug until flow handles it.
const notebookWith = (cells: Json[], metadata: Json = { kernelspec: { name: 'python3', language: 'python' } }) =>
  JSON.stringify({ cells, metadata, nbformat: 4, nbformat_minor: 5 });
const all = { json: false, params: true, kernel: true };
const foundByFuzzing: Case[] = [
  {
    name: 'found-deep-unclosed',
    kind: 'found',
    from: '-',
    what: 'JSON cut short inside 30,000 nested lists (the JSON error position is searched for recursively)',
    content: Buffer.from(`{"nbformat": 4, "cells": [], "metadata": {"x": ${'['.repeat(30_000)}`),
    options: all,
  },
  {
    name: 'found-deep-closed',
    kind: 'found',
    from: '-',
    what: "valid JSON with 10,000 nested lists in a cell's metadata (exec copies the notebook recursively)",
    content: Buffer.from(
      notebookWith([{ cell_type: 'code', source: 'x = 1', metadata: { deep: '__DEEP__' }, outputs: [], execution_count: null }]).replace(
        '"__DEEP__"',
        `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
      ),
    ),
    options: all,
  },
  {
    name: 'found-source-number',
    kind: 'found',
    from: '-',
    what: 'a parameters cell whose source is a number',
    content: Buffer.from(
      notebookWith([{ cell_type: 'code', source: 1, metadata: { tags: ['parameters'] }, outputs: [], execution_count: null }]),
    ),
    options: all,
  },
  {
    name: 'found-source-object',
    kind: 'found',
    from: '-',
    what: 'a parameters cell whose source is an object',
    content: Buffer.from(
      notebookWith([{ cell_type: 'code', source: {}, metadata: { tags: ['parameters'] }, outputs: [], execution_count: null }]),
    ),
    options: { json: true, params: false, kernel: false },
  },
  {
    name: 'found-merge-conflict',
    kind: 'found',
    from: '-',
    what: 'a git merge conflict in a notebook (V8 quotes the text around the error, newline included)',
    content: Buffer.from(
      '{\n "cells": [\n<<<<<<< HEAD\n  {"cell_type": "code", "source": "x = 1", "metadata": {}}\n=======\n  {"cell_type": "code", "source": "x = 2", "metadata": {}}\n>>>>>>> branch\n ],\n "metadata": {},\n "nbformat": 4,\n "nbformat_minor": 5\n}\n',
    ),
    options: all,
  },
];

// ---------------------------------------------------------------------------------------------
// Running flow on them: FLOW_JUPYTER is a fake that records any call, so that a Jupyter server
// (and so a kernel) that --prepare-only should never start would show.

const tmp = mkdtempSync(join(tmpdir(), 'flow-fuzz-exec-'));
let failed = false;
afterAll(() => {
  if (!failed) rmSync(tmp, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});
const calls = join(tmp, 'jupyter-calls.log');
const fakeJupyter = join(tmp, 'jupyter');
writeFileSync(fakeJupyter, `#!/bin/sh\necho "$@" >> '${calls}'\nexit 1\n`);
chmodSync(fakeJupyter, 0o755);

interface Outcome {
  args: string[];
  exitCode: number | undefined;
  signal: string | undefined;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

async function flow(args: string[]): Promise<Outcome> {
  for (let attempt = 0; ; attempt++) {
    const r = await execa('node', [cliPath, ...args], {
      cwd: tmp,
      reject: false,
      timeout: 30_000,
      env: { NO_COLOR: '1', FORCE_COLOR: '0', FLOW_JUPYTER: fakeJupyter },
    });
    // Another engineer may be rebuilding dist/ right now: wait for it, once or twice.
    if (attempt < 3 && /Cannot find module .*dist/.test(r.stderr)) {
      await new Promise((res) => setTimeout(res, 15_000));
      continue;
    }
    return { args, exitCode: r.exitCode, signal: r.signal, timedOut: r.timedOut, stdout: r.stdout, stderr: r.stderr };
  }
}

/** A JSON syntax error, as flow's reader sees the text (it drops a BOM first). */
function isJsonSyntaxError(content: Buffer): boolean {
  let t = content.toString('utf8');
  if (t.charCodeAt(0) === 0xfeff) t = t.slice(1);
  try {
    JSON.parse(t);
    return false;
  } catch {
    return true;
  }
}

/** What is wrong with one run of flow on a fuzzed file (empty: nothing). */
function problems(c: Case, file: string, o: Outcome): string[] {
  const out: string[] = [];
  if (o.timedOut) out.push('it did not finish within 30 s');
  if (o.signal) out.push(`it was killed by ${o.signal}`);
  if (o.exitCode !== 0 && o.exitCode !== 2) out.push(`exit code ${o.exitCode}, expected 0 or 2`);
  if (/^\s+at .*(:\d+:\d+\)?|\(native\))$/m.test(o.stderr)) out.push('a stack trace');
  if (/internal error/i.test(o.stderr)) out.push('an internal error');
  if (/\b(TypeError|ReferenceError|RangeError|SyntaxError|EvalError|Maximum call stack)\b/.test(o.stderr)) out.push('a JavaScript error');
  // Bytes of a broken file echoed as they are could be terminal escapes.
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(o.stderr)) out.push('control characters in stderr');
  if (o.exitCode === 2) {
    const lines = o.stderr.split('\n');
    const errors = lines.filter((l) => l.startsWith('error: '));
    if (errors.length !== 1 || lines.some((l) => !l.startsWith('error: ') && !l.startsWith('warning: '))) {
      out.push(`exit 2, and stderr is not one "error:" line (warnings aside) but ${lines.length} lines`);
    }
    const error = errors[0] ?? '';
    if (!error.includes(file)) out.push(`the error does not name ${file}`);
    if (isJsonSyntaxError(c.content)) {
      const m = new RegExp(`^error: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+):(\\d+): the notebook is not valid JSON \\(`).exec(
        error,
      );
      const lineCount = c.content.toString('utf8').split('\n').length;
      if (!m) out.push('a JSON syntax error without FILE:LINE:COL');
      else if (Number(m[1]) > lineCount || Number(m[2]) < 1) out.push(`a JSON error position outside the file (${m[1]}:${m[2]})`);
    }
  }
  if (existsSync(calls)) out.push(`Jupyter was started: ${readFileSync(calls, 'utf8').slice(0, 200)}`);
  return out;
}

function report(c: Case, file: string, o: Outcome, found: string[]): string {
  failed = true;
  const content = c.content.toString('utf8');
  return [
    `flow ${o.args[0]} on a fuzzed notebook: ${found.join('; ')}`,
    `  seed ${SEED} (FLOW_FUZZ_SEED=${SEED}), case ${c.name} (${c.kind}), from ${c.from}: ${c.what}`,
    `  file kept at ${file}; rerun: node ${cliPath} ${o.args.map((a) => (/[\s'"]/.test(a) ? JSON.stringify(a) : a)).join(' ')}`,
    `  content (${c.content.length} bytes): ${JSON.stringify(content.length > 1500 ? `${content.slice(0, 1500)}…` : content)}`,
    `  exit ${o.exitCode}${o.signal ? ` (${o.signal})` : ''}; stdout: ${JSON.stringify(o.stdout.slice(0, 800))}`,
    `  stderr: ${JSON.stringify(o.stderr.slice(0, 2000))}`,
  ].join('\n');
}

/** Runs `flow inspect` and `flow exec --prepare-only` on a case; what is wrong, as reports (empty: nothing). */
async function check(c: Case): Promise<string[]> {
  const file = join(tmp, `${c.name}.ipynb`);
  const output = join(tmp, `${c.name}.out.ipynb`);
  writeFileSync(file, c.content);

  const inspect = await flow(['inspect', file, ...(c.options.json ? ['--json'] : [])]);
  const inspectFound = problems(c, file, inspect);
  if (inspect.exitCode === 0) {
    if (c.options.json) {
      try {
        const doc = JSON.parse(inspect.stdout) as { notebook?: unknown; parameters?: unknown };
        if (doc.notebook !== file || !Array.isArray(doc.parameters)) inspectFound.push('--json: no notebook or parameters');
      } catch {
        inspectFound.push('--json: stdout is not JSON');
      }
    } else if (!inspect.stdout.startsWith(`Parameters inferred for notebook '${file}':`)) {
      inspectFound.push('exit 0 without "Parameters inferred for notebook"');
    }
  }

  const params = c.options.params ? ['-p', 'alpha', '0.7', '-p', 'name', 'fuzz'] : [];
  const exec = await flow(['exec', file, output, '--prepare-only', ...params, ...(c.options.kernel ? ['-k', 'python3'] : [])]);
  const execFound = problems(c, file, exec);
  if (exec.exitCode === 2 && existsSync(output)) execFound.push(`exit 2, and ${output} was written`);
  if (exec.exitCode === 0) {
    if (exec.stdout !== `prepared: ${output}`) execFound.push(`exit 0 without "prepared: ${output}"`);
    try {
      const written = JSON.parse(readFileSync(output, 'utf8')) as { nbformat?: unknown; cells?: { metadata?: { tags?: unknown } }[] };
      if (written.nbformat !== 4 || !Array.isArray(written.cells)) execFound.push('the prepared notebook is not nbformat 4 with cells');
      const injected = (written.cells ?? []).filter(
        (cell) => Array.isArray(cell?.metadata?.tags) && cell.metadata.tags.includes('injected-parameters'),
      );
      if (params.length > 0 && injected.length !== 1)
        execFound.push(`${injected.length} injected-parameters cells in the prepared notebook`);
    } catch (e) {
      execFound.push(`the prepared notebook cannot be read back: ${(e as Error).message}`);
    }
  }
  // A notebook inspect cannot read, exec cannot either (the same reader).
  if (inspect.exitCode === 2 && exec.exitCode === 0) execFound.push('inspect refused it (exit 2), exec prepared it');
  return [
    ...(inspectFound.length > 0 ? [report(c, file, inspect, inspectFound)] : []),
    ...(execFound.length > 0 ? [report(c, file, exec, execFound)] : []),
  ];
}

describe.concurrent('flow inspect and flow exec --prepare-only on fuzzed notebooks: exit 0 or 2, the file named, no stack trace', () => {
  it('the fake Jupyter would notice a start: flow exec without --prepare-only calls it', async ({ expect }) => {
    const input = join(tmp, 'check-fake.ipynb');
    writeFileSync(input, readFileSync(join(fixturesDir, 'notebooks', 'two-params.ipynb')));
    const log = join(tmp, 'check-fake-calls.log');
    const fake = join(tmp, 'jupyter-check');
    writeFileSync(fake, `#!/bin/sh\necho "$@" >> '${log}'\nexit 1\n`);
    chmodSync(fake, 0o755);
    const r = await execa('node', [cliPath, 'exec', input, join(tmp, 'check-fake.out.ipynb')], {
      cwd: tmp,
      reject: false,
      timeout: 30_000,
      env: { NO_COLOR: '1', FLOW_JUPYTER: fake },
    });
    expect(r.exitCode).not.toBe(0);
    expect(existsSync(log)).toBe(true);
  });

  it.for(cases)('$name ($kind) from $from: $what', async (c, { expect }) => {
    const found = await check(c);
    expect(found, found.join('\n\n')).toEqual([]);
  });

  it.for(foundByFuzzing)('$name: $what', async (c, { expect }) => {
    const found = await check(c);
    expect(found, found.join('\n\n')).toEqual([]);
  });

  afterAll(() => {
    // Checked per case too; here for a start that happened after a case's own check.
    if (existsSync(calls)) {
      failed = true;
      throw new Error(`flow exec --prepare-only started Jupyter: ${readFileSync(calls, 'utf8').slice(0, 500)}`);
    }
  });
});
