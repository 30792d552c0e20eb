// The comparison page of several runs: differing params, each node's status side by side, outputs charted across runs.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../src/ledger/run-record.js';
import { buildComparisonReport, writeComparisonReport } from '../../../src/summary/compare-page.js';
import { REPORT_CSP } from '../../../src/summary/html.js';
import { writeRunReport } from '../../../src/summary/report-page.js';
import { makeRunDir, node } from './run-fixture.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const snapshot: RunRecord['workflowSnapshot'] = { name: 'close', file: 'close.yml', hash: '', nodes: {} };
const p1 = makeRunDir(
  [
    node('load', 'succeeded', { durationMs: 1200, outputs: { rows: 10 } }),
    node('validate', 'succeeded', { outputs: { errors: 3 } }),
    node('legacy', 'succeeded'),
  ],
  {},
  { runId: 'run-p1', workflow: 'close', params: { period: 'P1', rows: 5000 }, workflowSnapshot: snapshot, exitCode: 0 },
);
const p2 = makeRunDir(
  [
    node('load', 'succeeded', { durationMs: 1300, outputs: { rows: 12 } }),
    node('validate', 'failed', { error: { errorClass: 'error', message: 'ValueError: x', ename: 'ValueError' }, outputs: { errors: 7 } }),
    node('audit', 'skipped', { durationMs: 0 }),
  ],
  {},
  { runId: 'run-p2', workflow: 'close', params: { period: 'P2', rows: 5000 }, workflowSnapshot: snapshot, status: 'failed', exitCode: 1 },
);
dirs.push(p1, p2);
const run = (dir: string) => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunRecord;
const runs = [run(p1), run(p2)];

/** The cells (<th> then each <td>) of the table row starting with `start`. */
function row(html: string, start: RegExp): string[] {
  const tr = [...html.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => m[1]!).find((r) => start.test(r));
  return tr ? [...tr.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) => m[1]!) : [];
}

describe('buildComparisonReport', () => {
  it('is a self-contained page titled by the workflow and the number of runs', async () => {
    const html = await buildComparisonReport(runs, p1);
    expect(html).toContain(`content="${REPORT_CSP}"`);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('<title>close: 2 runs</title>');
    expect(html).toContain('<h1>close: 2 runs compared</h1>');
  });

  it('shows a row for each param that differs, and the params that do not below', async () => {
    const html = await buildComparisonReport(runs, p1);
    expect(row(html, /^<th>params\.period<\/th>/)).toEqual(['params.period', '<code>&quot;P1&quot;</code>', '<code>&quot;P2&quot;</code>']);
    expect(row(html, /^<th>params\.rows<\/th>/)).toEqual([]);
    expect(html).toContain('<p class="muted">Params the same in every run: <code>rows</code> = <code>5000</code></p>');
    expect(row(html, /^<th>exit code<\/th>/)).toEqual(['exit code', '0', '1']);
  });

  it('has a row per node, in first-seen order, with each run’s status, and "not in this run" where it is absent', async () => {
    const html = await buildComparisonReport(runs, p1);
    const ids = [...html.matchAll(/<tr data-node="([^"]+)">/g)].map((m) => m[1]);
    expect(ids).toEqual(['load', 'validate', 'legacy', 'audit']);
    const validate = row(html, /^<th>validate<\/th>/);
    expect(validate[1]).toMatch(/^<span class="status s-succeeded">succeeded<\/span>/);
    expect(validate[2]).toMatch(/^<span class="status s-failed">failed<\/span><br><code>ValueError<\/code>/);
    expect(validate[2]).toContain('<code>errors</code> = <code>7</code>');
    expect(row(html, /^<th>load<\/th>/)[1]).toContain('<span class="muted">1.2 s</span>');
    expect(row(html, /^<th>legacy<\/th>/)[2]).toBe('<span class="muted">not in this run</span>');
    expect(row(html, /^<th>audit<\/th>/)[1]).toBe('<span class="muted">not in this run</span>');
    expect(row(html, /^<th>audit<\/th>/)[2]).toBe('<span class="status s-skipped">skipped</span>');
  });

  it('charts each numeric output across the runs, as SVG', async () => {
    const html = await buildComparisonReport(runs, p1);
    const charts = [...html.matchAll(/<div class="graphic compare-chart" data-output="([^"]+)"><svg/g)].map((m) => m[1]);
    expect(charts).toEqual(['load.rows', 'validate.errors']);
  });

  it('banners what is missing, and names runs without a report by id only', async () => {
    const html = await buildComparisonReport(runs, p1, ['run-p2: something']);
    expect(html).toContain('<div class="banner"><strong>Incomplete:</strong><ul><li>run-p2: something</li></ul></div>');
    expect(html).toContain('<th class="run" data-run="run-p1">1. run-p1<br>');
  });
});

describe('writeComparisonReport', () => {
  it('reads each run directory, links each run’s report.html relative to the page, and writes the page', async () => {
    await writeRunReport(p1);
    const file = join(p2, 'compare.html');
    const out = await writeComparisonReport([p1, p2], file);
    expect(out).toEqual({ path: file, missing: [] });
    const html = readFileSync(file, 'utf8');
    expect(html).toContain(
      `<th class="run" data-run="run-p1">1. <a href="${encodeURI(join('..', p1.split('/').at(-1)!, 'report.html'))}">run-p1</a>`,
    );
    expect(html).toContain('<th class="run" data-run="run-p2">2. run-p2<br>');
  });
});
