// The run's DAG as DOT (buildDot), parsed back to check ids, classes, shapes, edges and labels; and laid out by Graphviz (renderDot).
import { describe, expect, it } from 'vitest';
import type { SkipReason } from '../../../src/events/run-event.js';
import type { NodeState } from '../../../src/events/run-state.js';
import type { RunRecord } from '../../../src/ledger/run-record.js';
import type { NodeSnapshot } from '../../../src/ledger/workflow-snapshot.js';
import { renderDot } from '../../../src/summary/render-graphics.js';
import { buildDot, skipText } from '../../../src/summary/report-dot.js';
import { node } from './run-fixture.js';

function record(nodes: NodeState[], snap: Record<string, Partial<NodeSnapshot>>): RunRecord {
  const snapshot = (s: Partial<NodeSnapshot>): NodeSnapshot => ({
    needs: [],
    next: [],
    params: {},
    outputs: {},
    runIf: 'all_success',
    ...s,
  });
  return {
    schemaVersion: 1,
    flowVersion: '0.0.0',
    workflowHash: '',
    workflowSnapshot: {
      name: 'demo',
      file: 'demo.yml',
      hash: '',
      nodes: Object.fromEntries(Object.entries(snap).map(([k, s]) => [k, snapshot(s)])),
    },
    updatedAt: '2026-01-01T00:00:09Z',
    runId: 'r1',
    workflow: 'demo',
    workflowFile: 'demo.yml',
    runDir: '/tmp/r1',
    params: {},
    startedAt: '2026-01-01T00:00:00Z',
    status: 'succeeded',
    logs: [],
    nodes: Object.fromEntries(nodes.map((n) => [n.id, n])),
  };
}

const STR = String.raw`"(?:[^"\\]|\\.)*"`;
/** A DOT string literal back to its text (`\n` a newline, `\x` an x). */
const unq = (s: string) => (s.startsWith('"') ? s.slice(1, -1).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c)) : s);
function attrs(list: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of (list ?? '').matchAll(new RegExp(`(\\w+)=(${STR}|[^,\\]\\s]+)`, 'g'))) out[m[1]!] = unq(m[2]!);
  return out;
}
function dotNodes(dot: string): Map<string, Record<string, string>> {
  const re = new RegExp(`^  (${STR}) \\[(.*)\\];$`, 'gm');
  return new Map([...dot.matchAll(re)].map((m) => [unq(m[1]!), attrs(m[2])]));
}
function dotEdges(dot: string): { from: string; to: string; attrs: Record<string, string> }[] {
  const re = new RegExp(`^  (${STR}) -> (${STR})(?: \\[(.*)\\])?;$`, 'gm');
  return [...dot.matchAll(re)].map((m) => ({ from: unq(m[1]!), to: unq(m[2]!), attrs: attrs(m[3]) }));
}
/** XML character references and entities decoded. */
const xml = (s: string) =>
  s
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCharCode(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

const chose: SkipReason = {
  kind: 'branch_not_taken',
  by: 'gate',
  chose: 'fix',
  because: 'nodes.validate.outputs.errors > 10',
  operands: {},
};
const run = record(
  [
    node('ingest', 'succeeded', { durationMs: 1200, attempts: [{ attempt: 1, startedAt: '2026-01-01T00:00:00Z' }] }),
    node('validate', 'succeeded', { outputs: { errors: 25 } }),
    node('sweep', 'failed', { instances: [node('sweep', 'succeeded'), node('sweep', 'failed'), node('sweep', 'succeeded')] }),
    node('gate', 'succeeded', {
      decision: true,
      notebook: undefined,
      branch: { chose: 'fix', because: 'nodes.validate.outputs.errors > 10', operands: { 'nodes.validate.outputs.errors': 25 } },
    }),
    node('fix', 'failed', { error: { errorClass: 'error', message: 'boom', ename: 'KeyError' } }),
    node('publish', 'skipped', { skip: { ...chose, operands: { 'nodes.validate.outputs.errors': 25 } } }),
    node('later', 'pending'),
    node('maybe', 'pending'),
  ],
  {
    ingest: {},
    validate: { needs: ['ingest'] },
    sweep: { needs: ['ingest', 'ghost'], matrix: { k: [1, 2, 3] } },
    gate: {
      needs: ['validate'],
      next: [{ when: 'nodes.validate.outputs.errors > 10', goto: 'fix' }, { goto: 'publish' }, { goto: 'ghost' }],
    },
    fix: {},
    publish: {},
    later: { needs: ['fix'], next: [{ when: 'true', goto: 'maybe' }] },
    ghost: { needs: ['ingest'] },
  },
);
const dot = buildDot(run);
const nodes = dotNodes(dot);
const edges = dotEdges(dot);
const edge = (from: string, to: string) => edges.find((e) => e.from === from && e.to === to);

describe('buildDot', () => {
  it('is one digraph with every node of the run, id node-<id> and class status-<status>, linking to its section', () => {
    expect(dot.startsWith('digraph flow {')).toBe(true);
    expect(dot.trimEnd().endsWith('}')).toBe(true);
    expect([...nodes.keys()]).toEqual(Object.keys(run.nodes));
    for (const n of Object.values(run.nodes)) {
      expect(nodes.get(n.id)).toMatchObject({ id: `node-${n.id}`, class: `status-${n.status}`, href: `#n-${n.id}` });
    }
    expect(nodes.has('ghost')).toBe(false); // in the snapshot only
  });

  it('draws a decision node as a diamond and a matrix node as a stack labelled with its instance count', () => {
    expect(nodes.get('gate')?.shape).toBe('diamond');
    expect(nodes.get('sweep')?.shape).toBe('box3d');
    expect(nodes.get('sweep')?.label.split('\n')[0]).toBe('sweep ×3');
    expect(nodes.get('ingest')?.shape).toBeUndefined();
    expect(nodes.get('ingest')?.label.split('\n')[0]).toBe('ingest');
  });

  it('labels a node with its status, and a failed one with its ename', () => {
    expect(nodes.get('later')?.label).toBe('later\npending');
    expect(nodes.get('fix')?.label.split('\n')).toEqual(['fix', 'failed', 'KeyError']);
    expect(nodes.get('ingest')?.label.split('\n')[1]).toMatch(/^succeeded · /);
  });

  it('draws each `needs` edge between nodes of the run, unlabelled, and none to a node the run lacks', () => {
    const needs = edges.filter((e) => e.attrs.class === undefined).map((e) => `${e.from}->${e.to}`);
    expect(needs.sort()).toEqual(['fix->later', 'ingest->sweep', 'ingest->validate', 'validate->gate']);
    expect(edges.some((e) => e.from === 'ghost' || e.to === 'ghost')).toBe(false);
  });

  it('labels the chosen branch with its `when` and the operands it read; the others are dashed', () => {
    const taken = edge('gate', 'fix');
    expect(taken?.attrs.class).toBe('branch-chosen');
    expect(taken?.attrs.label).toBe('nodes.validate.outputs.errors > 10\nnodes.validate.outputs.errors=25');
    expect(taken?.attrs.style).toBeUndefined();
    const other = edge('gate', 'publish');
    expect(other?.attrs).toMatchObject({ class: 'branch', style: 'dashed', label: 'otherwise' });
  });

  it('dashes every branch of a node that has not decided, with its condition', () => {
    expect(edge('later', 'maybe')?.attrs).toMatchObject({ class: 'branch', style: 'dashed', label: 'true' });
  });

  it('says why a node was skipped, in its label and tooltip, and dashes it', () => {
    const publish = nodes.get('publish')!;
    expect(publish.label.split('\n')).toContain('gate chose fix');
    expect(publish.style).toContain('dashed');
    expect(publish.tooltip).toBe('publish: skipped, gate chose fix');
  });

  it('escapes quotes, backslashes and newlines of ids and labels, so that the DOT parses and the ids come back', async () => {
    const odd = 'say "hi"\\now';
    const r = record([node(odd, 'succeeded'), node('b\\', 'failed', { error: { errorClass: 'error', message: 'm', ename: 'Bad"Name' } })], {
      [odd]: { next: [{ when: 'x == "a\\\\b"', goto: 'b\\' }] },
      'b\\': {},
    });
    r.nodes[odd]!.branch = { chose: 'b\\', because: 'x == "a\\\\b"', operands: { x: 'a\\b\n' } };
    const d = buildDot(r);
    expect(dotNodes(d).get(odd)).toMatchObject({ id: `node-${odd}` });
    expect(dotNodes(d).get('b\\')?.label).toBe('b\\\nfailed\nBad"Name');
    expect(dotEdges(d)[0]).toMatchObject({ from: odd, to: 'b\\', attrs: { label: 'x == "a\\\\b"\nx="a\\\\b\\n"' } });
    const ids = [...(await renderDot(d)).matchAll(/<g id="([^"]*)" class="node[^"]*"/g)].map((m) => xml(m[1]!));
    expect(ids).toEqual([`node-${odd}`, 'node-b\\']);
  });
});

describe('skipText', () => {
  it('says each kind of skip in a few words', () => {
    expect(skipText(chose)).toBe('gate chose fix');
    expect(skipText({ ...chose, chose: null, because: '' })).toBe('gate chose no branch');
    expect(skipText({ kind: 'condition_false', expression: 'params.x > 1', operands: {} })).toBe('if params.x > 1 was false');
    expect(skipText({ kind: 'upstream_skipped', upstream: ['a', 'b'] })).toBe('upstream skipped: a, b');
    expect(skipText({ kind: 'upstream_failed', upstream: ['a'] })).toBe('upstream failed: a');
    expect(skipText({ kind: 'trigger_rule', rule: 'all_success', upstream: {} })).toBe('run_if all_success not met');
  });
});

describe('renderDot', () => {
  it('lays out buildDot as inline SVG: a <g id="node-…"> of class status-… per node, no prolog, doctype or comment', async () => {
    const svg = await renderDot(dot);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).not.toMatch(/<\?xml|<!DOCTYPE|<!--/);
    const groups = [...svg.matchAll(/<g id="([^"]*)" class="node ([^"]*)"/g)].map((m) => [xml(m[1]!), xml(m[2]!)]);
    expect(groups).toEqual(Object.values(run.nodes).map((n) => [`node-${n.id}`, `status-${n.status}`]));
    expect(xml(svg)).toContain('class="edge branch-chosen"');
    expect(svg).toContain('xlink:href="#n-gate"');
  });

  it('rejects DOT that Graphviz cannot parse, saying so', async () => {
    await expect(renderDot('digraph { a -> ; }')).rejects.toThrow(/Graphviz could not lay out the graph/);
  });
});
