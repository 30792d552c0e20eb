// Vega-Lite specs of the report's charts: the timeline of every attempt, a matrix node's numeric
// outputs over a numeric matrix key, and numeric outputs across runs.
import type { TopLevelSpec } from 'vega-lite';
import type { NodeState } from '../events/run-state.js';
import type { RunRecord } from '../ledger/run-record.js';

const FONT = { font: 'Helvetica', labelFont: 'Helvetica', titleFont: 'Helvetica' };
const config = {
  view: { stroke: null },
  axis: { labelFont: FONT.font, titleFont: FONT.font },
  legend: { labelFont: FONT.font, titleFont: FONT.font },
};

/** One bar of the timeline: an attempt, or the wait before a retry. */
export interface TimelineBar {
  lane: string;
  /** The lane's place, top to bottom. */
  order: number;
  start: number;
  end: number;
  kind: 'succeeded' | 'failed' | 'cancelled' | 'running' | 'retry wait';
  attempt: number;
  /** ename or error class of a failed attempt. */
  error?: string;
}

const KINDS: TimelineBar['kind'][] = ['succeeded', 'failed', 'cancelled', 'running', 'retry wait'];
const KIND_COLOURS = ['#2e7d32', '#c62828', '#ef6c00', '#0969da', '#d0d7de'];

function lanesOf(n: NodeState): [string, NodeState][] {
  if (n.instances && n.instances.length > 0)
    return n.instances.map((inst, i) => [`${n.id}[${i}]`, inst] as [string, NodeState]).filter(([, s]) => s);
  return [[n.id, n]];
}

/**
 * Every attempt of every node (and matrix instance) as seconds from the run's start, with the
 * waits between a failed attempt and its retry: retries, backoff and parallelism all show.
 */
export function timelineBars(run: RunRecord): TimelineBar[] {
  const t0 = Date.parse(run.startedAt);
  const until = Date.parse(run.finishedAt ?? run.updatedAt ?? run.startedAt);
  const sec = (iso: string | undefined, fallback: number) => ((iso ? Date.parse(iso) : fallback) - t0) / 1000;
  const bars: TimelineBar[] = [];
  let order = 0;
  for (const n of Object.values(run.nodes)) {
    for (const [lane, s] of lanesOf(n)) {
      order++;
      s.attempts.forEach((a, i) => {
        const last = i === s.attempts.length - 1;
        const end = sec(a.finishedAt, until);
        const cancelled = last && s.status === 'cancelled';
        const kind: TimelineBar['kind'] = cancelled ? 'cancelled' : a.error ? 'failed' : !a.finishedAt ? 'running' : 'succeeded';
        bars.push({
          lane,
          order,
          start: sec(a.startedAt, t0),
          end: Math.max(end, sec(a.startedAt, t0) + 0.01),
          kind,
          attempt: a.attempt,
          ...(a.error && { error: a.error.ename ?? a.error.errorClass }),
        });
        const next = s.attempts[i + 1];
        if (next && a.finishedAt)
          bars.push({ lane, order, start: end, end: sec(next.startedAt, until), kind: 'retry wait', attempt: a.attempt });
      });
    }
  }
  return bars;
}

export function timelineSpec(run: RunRecord): TopLevelSpec | undefined {
  const bars = timelineBars(run);
  if (bars.length === 0) return undefined;
  const lanes = new Set(bars.map((b) => b.lane)).size;
  // Lanes in plan order by a field: a sort list of a thousand lanes overflows Vega's expression parser.
  const sort = { field: 'order', op: 'min' } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: 900,
    height: Math.max(60, lanes * 18),
    config,
    data: { values: bars as unknown as Record<string, unknown>[] },
    layer: [
      {
        mark: { type: 'bar', cornerRadius: 2, height: 12 },
        encoding: {
          y: { field: 'lane', type: 'nominal', sort, title: null },
          x: { field: 'start', type: 'quantitative', title: 'seconds from the start of the run' },
          x2: { field: 'end' },
          color: { field: 'kind', type: 'nominal', title: null, scale: { domain: KINDS, range: KIND_COLOURS } },
        },
      },
      {
        transform: [{ filter: 'isValid(datum.error)' }],
        mark: { type: 'text', align: 'left', dx: 3, fontSize: 9, font: FONT.font },
        encoding: {
          y: { field: 'lane', type: 'nominal', sort },
          x: { field: 'end', type: 'quantitative' },
          text: { field: 'error' },
        },
      },
    ],
  };
}

/** A matrix node's instances as rows: the matrix keys, status and outputs of each. */
export interface MatrixTable {
  node: string;
  keys: string[];
  outputs: string[];
  rows: { instance: number; values: Record<string, unknown>; status: string; outputs: Record<string, unknown> }[];
}

export function matrixTable(run: RunRecord, node: NodeState): MatrixTable | undefined {
  if (!node.instances || node.instances.length === 0) return undefined;
  const axes = Object.keys(run.workflowSnapshot?.nodes?.[node.id]?.matrix ?? {});
  const declared = Object.keys(run.workflowSnapshot?.nodes?.[node.id]?.outputs ?? {});
  const rows = node.instances.flatMap((inst, i) => {
    if (!inst) return [];
    const keys = axes.length > 0 ? axes : Object.keys(inst.params ?? {});
    return [
      { instance: i, values: Object.fromEntries(keys.map((k) => [k, inst.params?.[k]])), status: inst.status, outputs: inst.outputs ?? {} },
    ];
  });
  const outputs = declared.length > 0 ? declared : [...new Set(rows.flatMap((r) => Object.keys(r.outputs)))];
  // Without the workflow's matrix (a run rebuilt from events), every param is a key.
  const keys = axes.length > 0 ? axes : [...new Set(rows.flatMap((r) => Object.keys(r.values)))];
  return { node: node.id, keys, outputs, rows };
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * For each numeric output, a chart of it over the first numeric matrix key (another key, if
 * any, as the colour): "run an experiment with different coefficients and summarize the results".
 */
export function matrixSpecs(t: MatrixTable): { output: string; over: string; spec: TopLevelSpec }[] {
  const done = t.rows.filter((r) => r.status === 'succeeded');
  const over = t.keys.find((k) => done.length > 0 && done.every((r) => isNumber(r.values[k])));
  if (!over) return [];
  const colour = t.keys.find((k) => k !== over);
  return t.outputs
    .filter((o) => done.some((r) => isNumber(r.outputs[o])) && done.every((r) => r.outputs[o] === undefined || isNumber(r.outputs[o])))
    .map((output) => ({
      output,
      over,
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
        title: `${t.node}: ${output} over ${over}`,
        width: 360,
        height: 220,
        config,
        data: {
          values: done.map((r) => ({
            [over]: r.values[over],
            [output]: r.outputs[output],
            ...(colour && { [colour]: String(r.values[colour]) }),
          })),
        },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: over, type: 'quantitative' },
          y: { field: output, type: 'quantitative' },
          ...(colour && { color: { field: colour, type: 'nominal' } }),
        },
      } as TopLevelSpec,
    }));
}

/** For each node output that is a number in some run: its value across the runs, in the order given. */
export function compareSpecs(runs: RunRecord[]): { key: string; spec: TopLevelSpec }[] {
  const labels = runs.map((r, i) => `${i + 1}. ${r.runId}`);
  const keys = new Map<string, { run: string; value: number }[]>();
  runs.forEach((run, i) => {
    for (const n of Object.values(run.nodes)) {
      for (const [name, v] of Object.entries(n.outputs ?? {})) {
        if (!isNumber(v)) continue;
        const key = `${n.id}.${name}`;
        if (!keys.has(key)) keys.set(key, []);
        keys.get(key)!.push({ run: labels[i]!, value: v });
      }
    }
  });
  return [...keys.entries()].map(([key, values]) => ({
    key,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: key,
      width: Math.max(200, runs.length * 60),
      height: 160,
      config,
      data: { values },
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'run', type: 'ordinal', sort: labels, title: null, axis: { labelAngle: -30 } },
        y: { field: 'value', type: 'quantitative', title: key },
      },
    } as TopLevelSpec,
  }));
}
