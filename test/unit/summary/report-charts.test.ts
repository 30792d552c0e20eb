// The report's charts as data: timeline bars of every attempt and retry wait, a matrix node's table and charts, outputs across runs.
import { describe, expect, it } from 'vitest';
import type { TopLevelSpec } from 'vega-lite';
import type { NodeError } from '../../../src/events/run-event.js';
import type { NodeState } from '../../../src/events/run-state.js';
import type { RunRecord } from '../../../src/ledger/run-record.js';
import type { NodeSnapshot } from '../../../src/ledger/workflow-snapshot.js';
import { renderVegaLite } from '../../../src/summary/render-graphics.js';
import {
  compareSpecs,
  matrixSpecs,
  matrixTable,
  type TimelineBar,
  timelineBars,
  timelineSpec,
} from '../../../src/summary/report-charts.js';
import { node } from './run-fixture.js';

/** ISO time `s` seconds after the run's start. */
const T = (s: number) => new Date(Date.UTC(2026, 0, 1) + s * 1000).toISOString();

function record(nodes: NodeState[], snap: Record<string, Partial<NodeSnapshot>> = {}, extra: Partial<RunRecord> = {}): RunRecord {
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
    updatedAt: T(30),
    runId: 'r1',
    workflow: 'demo',
    workflowFile: 'demo.yml',
    runDir: '/tmp/r1',
    params: {},
    startedAt: T(0),
    finishedAt: T(30),
    status: 'succeeded',
    logs: [],
    nodes: Object.fromEntries(nodes.map((n) => [n.id, n])),
    ...extra,
  };
}

const valueError: NodeError = { errorClass: 'error', message: 'ValueError: x', ename: 'ValueError', evalue: 'x' };
/** A bar's time and kind, without how the chart orders lanes. */
const core = (bars: TimelineBar[]) =>
  bars.map(({ lane, start, end, kind, attempt, error }) => ({ lane, start, end, kind, attempt, ...(error !== undefined && { error }) }));
const dataOf = (spec: TopLevelSpec) => (spec as unknown as { data: { values: Record<string, unknown>[] } }).data.values;

describe('timelineBars', () => {
  it('shows a failed attempt with its ename, the wait before the retry, and the retry, in seconds from the run start', () => {
    const run = record([
      node('load', 'succeeded', {
        attempts: [
          { attempt: 1, startedAt: T(1), finishedAt: T(3), error: valueError },
          { attempt: 2, startedAt: T(8), finishedAt: T(10.5) },
        ],
      }),
    ]);
    expect(core(timelineBars(run))).toEqual([
      { lane: 'load', start: 1, end: 3, kind: 'failed', attempt: 1, error: 'ValueError' },
      { lane: 'load', start: 3, end: 8, kind: 'retry wait', attempt: 1 },
      { lane: 'load', start: 8, end: 10.5, kind: 'succeeded', attempt: 2 },
    ]);
  });

  it('gives each matrix instance its own lane <id>[i], and the node none of its own', () => {
    const run = record([
      node('m', 'succeeded', {
        attempts: [{ attempt: 1, startedAt: T(0), finishedAt: T(99) }],
        instances: [
          node('m', 'succeeded', { attempts: [{ attempt: 1, startedAt: T(2), finishedAt: T(4) }] }),
          node('m', 'succeeded', { attempts: [{ attempt: 1, startedAt: T(2.5), finishedAt: T(6) }] }),
        ],
      }),
    ]);
    expect(timelineBars(run).map((b) => [b.lane, b.start, b.end])).toEqual([
      ['m[0]', 2, 4],
      ['m[1]', 2.5, 6],
    ]);
  });

  it('ends an attempt still going in a running run at updatedAt, as kind running', () => {
    const run = record(
      [node('slow', 'running', { attempts: [{ attempt: 1, startedAt: T(12) }] })],
      {},
      { status: 'running', finishedAt: undefined, updatedAt: T(20) },
    );
    expect(core(timelineBars(run))).toEqual([{ lane: 'slow', start: 12, end: 20, kind: 'running', attempt: 1 }]);
  });

  it('marks the last attempt of a cancelled node cancelled, names a failure without ename by its class, and widens an instant one', () => {
    const timeout: NodeError = { errorClass: 'timeout', message: 'took too long' };
    const run = record([
      node('a', 'cancelled', { attempts: [{ attempt: 1, startedAt: T(1), finishedAt: T(2) }] }),
      node('b', 'failed', { attempts: [{ attempt: 1, startedAt: T(5), finishedAt: T(5), error: timeout }] }),
      node('c', 'skipped'),
    ]);
    expect(core(timelineBars(run))).toEqual([
      { lane: 'a', start: 1, end: 2, kind: 'cancelled', attempt: 1 },
      { lane: 'b', start: 5, end: 5.01, kind: 'failed', attempt: 1, error: 'timeout' },
    ]);
  });
});

describe('timelineSpec', () => {
  it('is undefined for a run where nothing ran', () => {
    expect(timelineSpec(record([node('a', 'skipped'), node('b', 'pending')]))).toBeUndefined();
  });

  it('charts the bars with lanes top to bottom in plan order (not by name), and renders to SVG headless', async () => {
    const run = record([
      node('zeta', 'failed', { attempts: [{ attempt: 1, startedAt: T(1), finishedAt: T(3), error: valueError }] }),
      node('mid', 'skipped'),
      node('alpha', 'succeeded', { attempts: [{ attempt: 1, startedAt: T(0), finishedAt: T(2) }] }),
    ]);
    const spec = timelineSpec(run)!;
    expect(dataOf(spec)).toEqual(timelineBars(run));
    const svg = await renderVegaLite(spec);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).not.toMatch(/<\?xml|<!DOCTYPE/);
    expect(svg).toContain('>ValueError</text>');
    const zeta = svg.indexOf('>zeta</text>');
    expect(zeta).toBeGreaterThan(-1);
    expect(svg.indexOf('>alpha</text>')).toBeGreaterThan(zeta);
    expect(svg).not.toContain('>mid</text>');
  });
});

describe('matrixTable and matrixSpecs', () => {
  const inst = (
    coef: unknown,
    outputs: Record<string, unknown>,
    status: NodeState['status'] = 'succeeded',
    more: Record<string, unknown> = {},
  ) => node('sweep', status, { params: { coef, seed: 7, ...more }, outputs });
  const sweep = (instances: NodeState[], matrix: Record<string, unknown[]>) =>
    record([node('sweep', 'succeeded', { instances }), node('plain', 'succeeded')], {
      sweep: { matrix, outputs: { score: 'float', label: 'string' } },
    });

  it('is undefined for a node without a matrix', () => {
    const run = sweep([], { coef: [] });
    expect(matrixTable(run, run.nodes.plain!)).toBeUndefined();
    expect(matrixTable(run, run.nodes.sweep!)).toBeUndefined();
  });

  it('gives one row per instance in order with the matrix keys, and one chart per numeric output over the numeric key', () => {
    const run = sweep(
      [inst(0.1, { score: 0.9, label: 'low' }), inst(0.5, { score: 0.7, label: 'mid' }), inst(1, { score: 0.2, label: 'high' })],
      { coef: [0.1, 0.5, 1] },
    );
    const t = matrixTable(run, run.nodes.sweep!)!;
    expect(t).toEqual({
      node: 'sweep',
      keys: ['coef'],
      outputs: ['score', 'label'],
      rows: [
        { instance: 0, values: { coef: 0.1 }, status: 'succeeded', outputs: { score: 0.9, label: 'low' } },
        { instance: 1, values: { coef: 0.5 }, status: 'succeeded', outputs: { score: 0.7, label: 'mid' } },
        { instance: 2, values: { coef: 1 }, status: 'succeeded', outputs: { score: 0.2, label: 'high' } },
      ],
    });
    const specs = matrixSpecs(t);
    expect(specs.map((s) => [s.output, s.over])).toEqual([['score', 'coef']]);
    expect(dataOf(specs[0]!.spec)).toEqual([
      { coef: 0.1, score: 0.9 },
      { coef: 0.5, score: 0.7 },
      { coef: 1, score: 0.2 },
    ]);
    expect((specs[0]!.spec as { title?: unknown }).title).toBe('sweep: score over coef');
  });

  it('charts only the succeeded instances, and colours by a second key', () => {
    const run = sweep(
      [
        inst(0.1, { score: 1 }, 'succeeded', { data: 'a' }),
        inst(0.1, { score: 2 }, 'succeeded', { data: 'b' }),
        inst('broken', {}, 'failed', { data: 'a' }),
      ],
      { coef: [0.1, 'broken'], data: ['a', 'b'] },
    );
    const specs = matrixSpecs(matrixTable(run, run.nodes.sweep!)!);
    expect(specs.map((s) => s.output)).toEqual(['score']);
    expect(dataOf(specs[0]!.spec)).toEqual([
      { coef: 0.1, score: 1, data: 'a' },
      { coef: 0.1, score: 2, data: 'b' },
    ]);
    expect((specs[0]!.spec as unknown as { encoding: { color: { field: string } } }).encoding.color.field).toBe('data');
  });

  it('charts nothing when the only key is not numeric, nor an output that is not always a number', () => {
    const byName = sweep([inst('a', { score: 1 }), inst('b', { score: 2 })], { coef: ['a', 'b'] });
    expect(matrixSpecs(matrixTable(byName, byName.nodes.sweep!)!)).toEqual([]);
    const mixed = sweep([inst(1, { score: 1, label: 'x' }), inst(2, { score: 'n/a', label: 'y' })], { coef: [1, 2] });
    expect(matrixSpecs(matrixTable(mixed, mixed.nodes.sweep!)!)).toEqual([]);
  });

  it('renders a matrix chart to SVG', async () => {
    const run = sweep([inst(1, { score: 3 }), inst(2, { score: 4 })], { coef: [1, 2] });
    const svg = await renderVegaLite(matrixSpecs(matrixTable(run, run.nodes.sweep!)!)[0]!.spec);
    expect(svg).toMatch(/^<svg[\s\S]*sweep: score over coef[\s\S]*<\/svg>\s*$/);
  });
});

describe('compareSpecs', () => {
  const runOf = (runId: string, outputs: Record<string, unknown> | undefined) =>
    record([node('validate', 'succeeded', { outputs }), node('other', 'succeeded', { outputs: { note: 'text' } })], {}, { runId });

  it('charts each numeric node output across the runs, in run order', () => {
    const runs = [
      runOf('p1', { errors: 3, verdict: 'ok' }),
      runOf('p2', { errors: 0, verdict: 'ok' }),
      runOf('p3', { errors: 7, verdict: 'bad' }),
    ];
    const specs = compareSpecs(runs);
    expect(specs.map((s) => s.key)).toEqual(['validate.errors']);
    expect(dataOf(specs[0]!.spec)).toEqual([
      { run: '1. p1', value: 3 },
      { run: '2. p2', value: 0 },
      { run: '3. p3', value: 7 },
    ]);
    const x = (specs[0]!.spec as unknown as { encoding: { x: { sort: string[] } } }).encoding.x;
    expect(x.sort).toEqual(['1. p1', '2. p2', '3. p3']);
  });

  it('leaves out a run where the output is missing or not a number', () => {
    const specs = compareSpecs([
      runOf('p1', { errors: 3 }),
      runOf('p2', undefined),
      runOf('p3', { errors: Number.NaN }),
      runOf('p4', { errors: 1 }),
    ]);
    expect(dataOf(specs[0]!.spec)).toEqual([
      { run: '1. p1', value: 3 },
      { run: '4. p4', value: 1 },
    ]);
  });
});
