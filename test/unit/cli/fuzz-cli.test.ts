// Issue 19: `flow validate` (the built CLI, as a user runs it) on mutated copies of real workflows
// never crashes: it exits 0 (valid) or 2 (invalid, every error at FILE:LINE:COL), never 1, 70 or
// a signal, and prints no stack trace. test/unit/workflow/fuzz.test.ts fuzzes parseWorkflow in
// process with generated documents; this one mutates the repo's own workflows text-wise (lines
// deleted, swapped, cut, bytes and tabs inserted, indentation broken, expressions corrupted) and
// runs the whole CLI, notebook checks included. Seeded: FLOW_FUZZ_SEED=N reruns with another
// seed, FLOW_FUZZ_CASES=N with more cases; a failure names its seed and case and keeps its file.
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { cliPath, repoRoot } from '../../helpers/paths.js';
import { type Rng, rng } from '../../helpers/rng.js';

const SEED = Number(process.env.FLOW_FUZZ_SEED ?? 19_2024);
const CASES = Number(process.env.FLOW_FUZZ_CASES ?? 40);
const EXPR_CASES = Math.max(1, Math.round(CASES / 4));

// ---------------------------------------------------------------------------------------------
// Cases come from a seeded PRNG (test/helpers/rng.ts): the same seed gives the same files on every machine.

/** The seed of case `i` of a family, so that one case can be regenerated on its own. */
const caseSeed = (family: number, i: number) => (SEED * 1_000_003 + family * 10_007 + i * 7919) >>> 0;

// ---------------------------------------------------------------------------------------------
// The workflows to start from: every valid one of the repo (exit 0 as they are).

const sources = [
  'workflows/hesa-return.yml',
  'workflows/quality-audits.yml',
  'test/fixtures/decision/decision.yml',
  'test/fixtures/fanout/wf.yml',
  'test/fixtures/report/wf.yml',
  'test/fixtures/schedule/wf.yml',
  'test/fixtures/secrets/wf.yml',
  'test/fixtures/secrets/wf-sources.yml',
  'test/fixtures/terminal/live.yml',
  'test/fixtures/two-node/wf.yml',
  'test/fixtures/workflows/hesa-return.yml',
  'test/fixtures/workflows/minimal.yml',
  'test/fixtures/workflows/unreachable.yml',
  'test/fixtures/e2e/workflows/cancel.yml',
  'test/fixtures/e2e/workflows/faults.yml',
  'test/fixtures/e2e/workflows/graph.yml',
  'test/fixtures/e2e/workflows/resume.yml',
  'test/fixtures/e2e/workflows/summary.yml',
].map((path) => ({ path, text: readFileSync(join(repoRoot, path), 'utf8') }));
const withExpressions = sources.filter((s) => /\$\{\{|\b(when|if):/.test(s.text));

// ---------------------------------------------------------------------------------------------
// Mutations of a workflow's text.

const unicode = ['é', 'ß', '😀', '\u200b', '\u202e', '\ufeff', '\u0301', '𝔘', '中文', '\u2028', '\u0085', '\ud800', '\u0000', '\u001b[31m'];
const yamlBits = [
  '&a',
  '*a',
  '*nope',
  '<<: *a',
  '<<: [*a, *b]',
  '!!binary',
  '!!str',
  '!!int x',
  '!!map',
  '!custom',
  '? ',
  '---',
  '...',
  '%YAML 1.2',
  '%TAG ! tag:x,2000:',
  '|',
  '>-',
  '|9',
  '{',
  '}',
  '[',
  ']',
  ', ',
  ': ',
  ' #',
  '"',
  "'",
  '- ',
  '@',
  '`',
  '\\',
  '~',
  '.nan',
  '-.inf',
  '0x1F',
  '1e999',
  '99999999999999999999999',
  '__proto__: {}',
  'constructor: 1',
  '{a: 1, a: 2}',
];
const keys = [
  'name',
  'nodes',
  'params',
  'defaults',
  'vars',
  'notebook',
  'needs',
  'next',
  'if',
  'when',
  'goto',
  'retry',
  'timeout',
  'outputs',
  'matrix',
  'servers',
  'notify',
  'schedule',
  'concurrency',
  'continue_on_error',
  'type',
  'default',
  'enum',
  'secret',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'x-anchor',
];
const scalars = [
  '[]',
  '{}',
  'null',
  '~',
  '-1',
  '0',
  '1.5',
  '1e999',
  '.nan',
  'true',
  '""',
  "''",
  '!!str 1',
  '99999999999999999999',
  '1s',
  '-5m',
  'P1D',
  '10x',
  '../../../../etc/passwd',
  '/dev/null',
  'a.ipynb',
  '${{ params }}',
  '[a, b',
  '{ a: 1',
  '*a',
  '&a x',
  '"\\u0000"',
  '|',
];
const celTokens = [
  'params.period',
  'params.rows',
  'params.nope',
  'params',
  'nodes',
  'nodes.extract.outputs.rows',
  'nodes.audit.status',
  'nodes.nope.outputs.x',
  'outputs.errors',
  'outputs',
  'run.id',
  'vars.x',
  'matrix.check',
  'matrix',
  'env.HOME',
  'secrets.key',
  '1',
  '-1',
  '0',
  '2.5',
  '1e308',
  '9223372036854775807',
  '-9223372036854775808',
  '18446744073709551615u',
  '18446744073709551616u',
  '0x',
  '0xFFFFFFFFFFFFFFFFFF',
  '1.e',
  '"x"',
  "'x'",
  '"""',
  "'''",
  '"\\x"',
  '"\\u12"',
  'b"\\xff"',
  'r"\\d"',
  'true',
  'false',
  'null',
  '[1, 2]',
  '[]',
  '{}',
  '{"k": 1}',
  '{1: 2, 1: 3}',
  ' + ',
  ' - ',
  ' * ',
  ' / ',
  ' % ',
  ' == ',
  ' != ',
  ' < ',
  ' >= ',
  ' && ',
  ' || ',
  ' in ',
  ' ? ',
  ' : ',
  '!',
  '-',
  '.',
  ',',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '[0]',
  '[99]',
  '["k"]',
  '.size()',
  'size(',
  'int(',
  'uint("x")',
  'double("nan")',
  'string(b"\\xff")',
  'bytes(',
  'timestamp("x")',
  'duration("1h")',
  'duration("999999999999h")',
  'dyn(',
  'type(',
  'has(',
  'has(params.period)',
  '.matches("(")',
  '.matches("a+")',
  '.startsWith(',
  '.map(x, x)',
  '.map()',
  '.filter(x)',
  '.all(x, x > 0)',
  '.exists_one(',
  '1 / 0',
  '1 % 0',
  '@',
  '#',
  '$',
  '${{',
  '}}',
  '\\',
  '`',
  '\t',
  '\n',
  '😀',
  '\u0000',
  '__proto__',
  'constructor',
  'this',
];

function lines(text: string): string[] {
  return text.split('\n');
}

function randomChar(r: Rng): string {
  return r.chance(0.5) ? String.fromCharCode(r.int(256)) : r.pick(unicode);
}

function celExpression(r: Rng): string {
  const n = 1 + r.int(8);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(r.pick(celTokens));
  let e = parts.join('');
  if (r.chance(0.08)) {
    const depth = r.pick([64, 300, 3000]);
    e = `${'('.repeat(depth)}${e}${')'.repeat(depth)}`;
  }
  if (r.chance(0.05)) e = Array.from({ length: r.pick([200, 2000]) }, () => 'params.period').join(' + ');
  if (r.chance(0.05)) e = `params${'.x'.repeat(r.pick([100, 1000]))}`;
  return e;
}

/** A YAML scalar holding `e`: plain (which may change the document's structure), or quoted. */
function yamlScalar(r: Rng, e: string): string {
  const k = r.int(3);
  if (k === 0) return e;
  if (k === 1) return JSON.stringify(e);
  return `'${e.replace(/'/g, "''")}'`;
}

/** Replaces one `${{ … }}` of the text (or adds one) with a corrupted one. */
function corruptTemplate(r: Rng, text: string): string {
  const found = [...text.matchAll(/\$\{\{(.*?)\}\}/g)];
  if (found.length === 0) {
    const ls = lines(text);
    const i = r.int(ls.length);
    ls[i] = `${ls[i]} \${{ ${celExpression(r)} }}`;
    return ls.join('\n');
  }
  const m = r.pick(found);
  const inner = m[1]!;
  const replacement = r.pick<() => string>([
    () => `\${{ ${inner}`, // not closed
    () => `${inner} }}`, // not opened
    () => `\${{ ${celExpression(r)} }}`,
    () => `\${{ ${inner}${r.pick(celTokens)} }}`,
    () => `\${{ ${r.pick(celTokens)}${inner} }}`,
    () => `\${{ \${{ ${inner} }} }}`,
    () => `\${{ ${inner} }} }}`,
    () => '${{ }}',
    () => '${{}}',
    () => `$\${{ ${inner} }}`,
    () => `\\\${{ ${inner} }}`,
    () => `\${{ ${inner.slice(0, r.int(inner.length + 1))} }}`,
    () => `\${{ ${inner.split('').reverse().join('')} }}`,
    () => `\${{ ${inner} }}\${{ ${celExpression(r)} }}`,
    () => `\${ ${inner} }`,
    () => `\${{ ${inner}\n }}`,
  ])();
  return text.slice(0, m.index) + replacement + text.slice(m.index + m[0].length);
}

/** Replaces the expression of a `when:` or `if:` (or adds an `if:` to a node) with random tokens. */
function corruptCondition(r: Rng, text: string): string {
  const ls = lines(text);
  const at = ls.map((l, i) => (/^\s*-?\s*(when|if):/.test(l) ? i : -1)).filter((i) => i >= 0);
  if (at.length === 0) {
    const nodeLines = ls.map((l, i) => (/^ {2}[a-z_]+:\s*$/.test(l) ? i : -1)).filter((i) => i >= 0);
    if (nodeLines.length === 0) return corruptTemplate(r, text);
    const i = r.pick(nodeLines);
    ls.splice(i + 1, 0, `    if: ${yamlScalar(r, celExpression(r))}`);
    return ls.join('\n');
  }
  const i = r.pick(at);
  const m = /^(\s*-?\s*(?:when|if):)\s*(.*)$/s.exec(ls[i]!)!;
  const old = m[2]!;
  const e = r.chance(0.3) ? `${old}${r.pick(celTokens)}${r.pick(celTokens)}` : celExpression(r);
  ls[i] = `${m[1]} ${yamlScalar(r, e)}`;
  return ls.join('\n');
}

const textMutations: Record<string, (r: Rng, text: string) => string> = {
  deleteLine: (r, text) => {
    const ls = lines(text);
    ls.splice(r.int(ls.length), 1 + (r.chance(0.3) ? r.int(4) : 0));
    return ls.join('\n');
  },
  duplicateLine: (r, text) => {
    const ls = lines(text);
    const i = r.int(ls.length);
    ls.splice(r.int(ls.length + 1), 0, ls[i]!);
    return ls.join('\n');
  },
  swapLines: (r, text) => {
    const ls = lines(text);
    const i = r.int(ls.length);
    const j = r.int(ls.length);
    [ls[i], ls[j]] = [ls[j]!, ls[i]!];
    return ls.join('\n');
  },
  truncate: (r, text) => text.slice(0, r.int(text.length)),
  insertBytes: (r, text) => {
    let out = text;
    for (let k = 1 + r.int(5); k > 0; k--) {
      const at = r.int(out.length + 1);
      out = out.slice(0, at) + randomChar(r) + out.slice(at);
    }
    return out;
  },
  insertTab: (r, text) => {
    const ls = lines(text);
    const i = r.int(ls.length);
    const l = ls[i]!;
    const at = r.chance(0.5) ? 0 : Math.max(0, l.indexOf(':') + 1);
    ls[i] = `${l.slice(0, at)}\t${l.slice(at)}`;
    return ls.join('\n');
  },
  breakIndent: (r, text) => {
    const ls = lines(text);
    const i = r.int(ls.length);
    const n = 1 + r.int(3);
    ls[i] = r.chance(0.5) ? ' '.repeat(n) + ls[i] : ls[i]!.replace(new RegExp(`^ {1,${n}}`), '');
    return ls.join('\n');
  },
  yamlSyntax: (r, text) => {
    const ls = lines(text);
    const i = r.int(ls.length);
    const l = ls[i]!;
    const at = r.int(l.length + 1);
    ls[i] = l.slice(0, at) + r.pick(yamlBits) + l.slice(at);
    return ls.join('\n');
  },
  renameKey: (r, text) => {
    const ls = lines(text);
    const at = ls.map((l, i) => (/^\s*-?\s*[\w-]+:/.test(l) ? i : -1)).filter((i) => i >= 0);
    if (at.length === 0) return text;
    const i = r.pick(at);
    ls[i] = ls[i]!.replace(/^(\s*-?\s*)[\w-]+:/, `$1${r.pick(keys)}:`);
    return ls.join('\n');
  },
  replaceValue: (r, text) => {
    const ls = lines(text);
    const at = ls.map((l, i) => (/:\s+\S/.test(l) ? i : -1)).filter((i) => i >= 0);
    if (at.length === 0) return text;
    const i = r.pick(at);
    ls[i] = ls[i]!.replace(/:\s+.*$/, `: ${r.pick(scalars)}`);
    return ls.join('\n');
  },
  deepNesting: (r, text) => {
    const depth = r.pick([50, 500, 5000]);
    const nest = r.chance(0.5) ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{a: '.repeat(depth)}1${'}'.repeat(depth)}`;
    return `${text}\nx-deep: ${nest}\n`;
  },
  aliasBomb: (_r, text) =>
    `${text}\nx-a: &a [1,1,1,1,1,1,1,1,1,1]\nx-b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nx-c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nx-d: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n`,
  crlf: (_r, text) => text.replace(/\n/g, '\r\n'),
  template: corruptTemplate,
  condition: corruptCondition,
};
const mutationNames = Object.keys(textMutations);

interface Case {
  name: string;
  label?: string;
  source: string;
  mutations: string[];
  text: string;
}

function mutate(family: number, i: number, pool: typeof sources, names: readonly string[]): Case {
  const r = rng(caseSeed(family, i));
  const src = r.pick(pool);
  let text = src.text;
  const applied: string[] = [];
  for (let k = 1 + r.int(3); k > 0; k--) {
    const m = r.pick(names);
    applied.push(m);
    text = textMutations[m]!(r, text);
  }
  return { name: `fuzz-${family}-${i}`, label: `${applied.join(', ')} of ${src.path}`, source: src.path, mutations: applied, text };
}

const mixed = Array.from({ length: CASES }, (_, i) => mutate(1, i, sources, mutationNames));
const expressionMutations = ['template', 'condition', 'template'];
const expressions = Array.from({ length: EXPR_CASES }, (_, i) => mutate(2, i, withExpressions, expressionMutations));
const expressionsJson = Array.from({ length: EXPR_CASES }, (_, i) => mutate(3, i, withExpressions, expressionMutations));

// ---------------------------------------------------------------------------------------------
// Each mutated file is written beside a mirror of its source's folder (the rest of the repo
// symlinked), so that relative notebook paths resolve and the notebook checks run too.

const tmp = mkdtempSync(join(tmpdir(), 'flow-fuzz-cli-'));
let failed = false;
afterAll(() => {
  if (!failed) rmSync(tmp, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

/**
 * A copy of the repo in `tmp` in which every folder holding a source workflow, and each folder
 * above it, is a real folder, and everything else a symlink into the repo: a mutated file is
 * written in the mirror of its source's folder, and `../notebooks/…` resolves as in the repo.
 */
function buildMirror(): Map<string, string> {
  const real = new Set<string>(['']);
  for (const s of sources) {
    const parts = dirname(s.path).split('/');
    for (let k = 1; k <= parts.length; k++) real.add(parts.slice(0, k).join('/'));
  }
  const root = join(tmp, 'repo');
  for (const dir of [...real].sort()) {
    mkdirSync(join(root, dir), { recursive: true });
    for (const entry of readdirSync(join(repoRoot, dir))) {
      const rel = dir === '' ? entry : `${dir}/${entry}`;
      if (!real.has(rel)) symlinkSync(join(repoRoot, rel), join(root, rel));
    }
  }
  const byDir = new Map<string, string>();
  const tmpReal = realpathSync(tmp);
  for (const dir of real) {
    const copy = join(root, dir);
    // Never write into the repo itself.
    if (!realpathSync(copy).startsWith(`${tmpReal}${sep}`)) throw new Error(`${copy} is not a folder of ${tmp}`);
    byDir.set(dir, copy);
  }
  return byDir;
}
const mirror = buildMirror();
function mirrorOf(dir: string): string {
  const copy = mirror.get(dir);
  if (!copy) throw new Error(`${dir} holds no source workflow, so it has no folder of its own in the mirror`);
  return copy;
}

interface Outcome {
  exitCode: number | undefined;
  signal: string | undefined;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  file: string;
  dir: string;
  extra: string[];
}

async function validate(c: Case, extra: string[] = [], dir = mirrorOf(dirname(c.source))): Promise<Outcome> {
  const file = `${c.name}.yml`;
  writeFileSync(join(dir, file), c.text);
  for (let attempt = 0; ; attempt++) {
    const r = await execa('node', [cliPath, 'validate', file, ...extra], {
      cwd: dir,
      reject: false,
      timeout: 30_000,
      env: { NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    // Another engineer may be rebuilding dist/ right now: wait for it, once or twice.
    if (attempt < 3 && /Cannot find module .*dist/.test(r.stderr)) {
      await new Promise((res) => setTimeout(res, 15_000));
      continue;
    }
    return {
      exitCode: r.exitCode,
      signal: r.signal,
      timedOut: r.timedOut,
      stdout: r.stdout,
      stderr: r.stderr,
      file,
      dir: relative(tmp, dir),
      extra,
    };
  }
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A crash of any kind: a code other than 0 or 2, a signal, a hang, a stack trace (empty: none). */
function crashes(o: Outcome): string[] {
  const out: string[] = [];
  if (o.timedOut) out.push('it did not finish within 30 s');
  if (o.signal) out.push(`it was killed by ${o.signal}`);
  if (o.exitCode !== 0 && o.exitCode !== 2) out.push(`exit code ${o.exitCode}, expected 0 or 2`);
  const all = `${o.stdout}\n${o.stderr}`;
  if (/^\s+at .*(:\d+:\d+\)?|\(native\))$/m.test(all)) out.push('a stack trace');
  if (/internal error/i.test(all)) out.push('an internal error');
  if (/\b(TypeError|ReferenceError|RangeError|SyntaxError|EvalError)\b/.test(all)) out.push('a JavaScript error');
  return out;
}

/** What is wrong with an outcome of `flow validate` (empty: nothing). */
function problems(c: Case, o: Outcome): string[] {
  const out = crashes(o);
  if (o.exitCode === 0 && !o.stdout.startsWith(`${o.file}: valid (`)) out.push(`exit 0 without "${o.file}: valid (…)" on stdout`);
  if (o.exitCode === 2) {
    const lineCount = c.text.split('\n').length;
    const at = new RegExp(`^${escapeRe(o.file)}:(\\d+):(\\d+): (warning: )?`);
    const errorLines = o.stderr.split('\n').filter((l) => at.test(l) && !at.exec(l)![3]);
    if (errorLines.length === 0) out.push(`exit 2 without an error at ${o.file}:LINE:COL`);
    for (const l of errorLines) {
      const [, line, col] = at.exec(l)!.map(Number);
      if (line! < 1 || line! > lineCount + 1 || col! < 1) out.push(`a position outside the file: ${l.slice(0, 200)}`);
    }
    // The last line, after every diagnostic: its absence means the output was cut short.
    const summary = /^(\d+) errors? in the workflow; fix (it|them) and try again \(flow validate checks without running\)$/.exec(
      o.stderr.split('\n').at(-1) ?? '',
    );
    if (!summary) out.push('exit 2, and stderr does not end with the "N errors in the workflow" line');
    else if (Number(summary[1]) !== errorLines.length) out.push(`${summary[1]} errors counted, ${errorLines.length} printed`);
  }
  return out;
}

interface JsonReport {
  valid?: unknown;
  file?: unknown;
  diagnostics?: { severity?: unknown; file?: unknown; line?: unknown; col?: unknown; message?: unknown }[];
}

/** What is wrong with an outcome of `flow validate --json` (empty: nothing). */
function jsonProblems(c: Case, o: Outcome): string[] {
  const out = crashes(o);
  let doc: JsonReport = {};
  try {
    doc = JSON.parse(o.stdout) as JsonReport;
  } catch {
    out.push('stdout is not one JSON document');
  }
  if (doc.valid !== (o.exitCode === 0)) out.push(`"valid" is ${doc.valid} with exit ${o.exitCode}`);
  if (doc.file !== o.file) out.push(`"file" is ${JSON.stringify(doc.file)}`);
  const lineCount = c.text.split('\n').length;
  const errors = (doc.diagnostics ?? []).filter((d) => d.severity === 'error');
  if (o.exitCode === 2 && errors.length === 0) out.push('exit 2 without an error in "diagnostics"');
  for (const d of errors) {
    const { line, col } = d;
    const inFile = typeof line === 'number' && typeof col === 'number' && line >= 1 && line <= lineCount + 1 && col >= 1;
    if (d.file !== o.file || !inFile || typeof d.message !== 'string')
      out.push(`an error without a position in the file: ${JSON.stringify(d).slice(0, 300)}`);
  }
  return out;
}

function report(c: Case, o: Outcome, found: string[]): string {
  failed = true;
  return [
    `flow validate on a mutated workflow: ${found.join('; ')}`,
    `  seed ${SEED} (FLOW_FUZZ_SEED=${SEED}), case ${c.name}, from ${c.source} by ${c.mutations.join(', ')}`,
    `  file kept at ${join(tmp, o.dir, o.file)}; rerun: cd ${join(tmp, o.dir)} && node ${cliPath} validate ${[o.file, ...o.extra].join(' ')}`,
    `  content: ${JSON.stringify(c.text.length > 3000 ? `${c.text.slice(0, 3000)}…` : c.text)}`,
    `  exit ${o.exitCode}${o.signal ? ` (${o.signal})` : ''}; stdout: ${JSON.stringify(o.stdout.slice(0, 1000))}`,
    `  stderr (${o.stderr.length} characters, ${o.stderr.split('\n').length} lines): ${JSON.stringify(o.stderr.slice(0, 2000))}`,
    `  …its end: ${JSON.stringify(o.stderr.slice(-400))}`,
  ].join('\n');
}

describe.concurrent('flow validate on mutated workflows: exit 0 or 2, every error at FILE:LINE:COL, no stack trace', {
  timeout: 60_000,
}, () => {
  it('starts from workflows that are valid as they are', async ({ expect }) => {
    for (const s of sources.slice(0, 3)) {
      const o = await validate({ name: `fuzz-0-${s.path.replace(/\W/g, '-')}`, source: s.path, mutations: [], text: s.text });
      expect(o.exitCode, o.stderr).toBe(0);
    }
  });

  it('a position in the diagnostics is the mutated file, at the line that broke', async ({ expect }) => {
    const c: Case = {
      name: 'fuzz-0-known',
      source: 'test/fixtures/two-node/wf.yml',
      mutations: ['tab'],
      text: sources.find((s) => s.path === 'test/fixtures/two-node/wf.yml')!.text,
    };
    const ls = c.text.split('\n');
    const i = ls.findIndex((l) => l.startsWith('nodes:'));
    ls[i + 1] = `\t${ls[i + 1]}`;
    c.text = ls.join('\n');
    const o = await validate(c);
    expect(problems(c, o), report(c, o, ['the known case'])).toEqual([]);
    expect(o.exitCode).toBe(2);
    expect(o.stderr).toMatch(new RegExp(`^${escapeRe(o.file)}:${i + 2}:\\d+: `, 'm'));
  });

  // Found by this fuzzing (a deeply nested flow map gave 20,000 YAML errors): every line of a
  // long report must reach a pipe, the count last, before flow exits.
  it('a workflow with 3,000 errors: all of them, then the count, reach stderr', async ({ expect }) => {
    const c: Case = {
      name: 'fuzz-0-many',
      source: 'test/fixtures/workflows/minimal.yml',
      mutations: ['3000 lines of "}"'],
      text: `name: many\nnodes:\n  a: { notebook: a.ipynb }\nx: 1\n${'}\n'.repeat(3000)}`,
    };
    const o = await validate(c, ['--no-notebooks']);
    expect(o.exitCode).toBe(2);
    const found = problems(c, o);
    expect(found, found.length > 0 ? report(c, o, found) : '').toEqual([]);
    expect(o.stderr.split('\n')).toHaveLength(3001);
  });

  // Found by test/e2e/fuzz-exec.test.ts: the notebook checks read the parameters cell too.
  it('a workflow whose notebook has a parameters cell with a number for source', async ({ expect }) => {
    const dir = join(tmp, 'notebook-source');
    mkdirSync(dir, { recursive: true });
    const cell = { cell_type: 'code', source: 1, metadata: { tags: ['parameters'] }, outputs: [], execution_count: null };
    const nb = { cells: [cell], metadata: { kernelspec: { name: 'python3', language: 'python' } }, nbformat: 4, nbformat_minor: 5 };
    writeFileSync(join(dir, 'nb.ipynb'), JSON.stringify(nb));
    const c: Case = {
      name: 'fuzz-0-source',
      source: '-',
      mutations: ['"source": 1 in nb.ipynb'],
      text: 'name: source\nnodes:\n  a: { notebook: nb.ipynb, params: { x: 1 } }\n',
    };
    const o = await validate(c, [], dir);
    const found = problems(c, o);
    expect(found, found.length > 0 ? report(c, o, found) : '').toEqual([]);
  });

  it.for(mixed)('$name: $label', async (c, { expect }) => {
    const o = await validate(c);
    const found = problems(c, o);
    expect(found, found.length > 0 ? report(c, o, found) : '').toEqual([]);
  });

  it.for(expressions)('$name (expressions): $label', async (c, { expect }) => {
    const o = await validate(c);
    const found = problems(c, o);
    expect(found, found.length > 0 ? report(c, o, found) : '').toEqual([]);
  });

  // The same kind of files through --json (as editors and CI read it): one JSON document on
  // stdout, `valid` as the exit code says, each error with its line and col.
  it.for(expressionsJson)('$name (expressions, --json): $label', async (c, { expect }) => {
    const o = await validate(c, ['--json']);
    const found = jsonProblems(c, o);
    expect(found, found.length > 0 ? report(c, o, found) : '').toEqual([]);
  });
});
