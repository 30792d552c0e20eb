// report.html of a fixture run directory: self-contained (CSP, no script, nothing fetched), every node, the failure explained.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeError } from '../../../src/events/run-event.js';
import type { RunRecord } from '../../../src/ledger/run-record.js';
import type { NodeSnapshot } from '../../../src/ledger/workflow-snapshot.js';
import { REPORT_CSP } from '../../../src/summary/html.js';
import { buildRunReport, readReportRun, type ReportRun, writeRunReport } from '../../../src/summary/report-page.js';
import { PNG, code, makeRunDir, node, notebook } from './run-fixture.js';

const snap = (s: Partial<NodeSnapshot>): NodeSnapshot => ({ needs: [], next: [], params: {}, outputs: {}, runIf: 'all_success', ...s });
const T = (s: number) => new Date(Date.UTC(2026, 0, 1) + s * 1000).toISOString();

const traceback = [
  '\x1b[31m---------------------------------------------------------------------------\x1b[39m',
  '\x1b[31mValueError\x1b[39m                                Traceback (most recent call last)',
  '\x1b[36mCell\x1b[39m \x1b[32mIn[2], line 1\x1b[39m\n\x1b[32m----> 1\x1b[39m \x1b[38;5;28;01mraise\x1b[39;00m ValueError(\x1b[33m"bad rows"\x1b[39m)',
  '\x1b[31mValueError\x1b[39m: bad rows',
];
const error: NodeError = {
  errorClass: 'error',
  message: 'ValueError: bad rows',
  cell: 1,
  executionCount: 2,
  ename: 'ValueError',
  evalue: 'bad rows',
  traceback,
};
const failingSource = 'rows = load()\nraise ValueError("bad rows") if rows < 0 else None';

let dir: string;
let data: ReportRun;
let html: string;

beforeAll(async () => {
  dir = makeRunDir(
    [
      node('prepare', 'succeeded', {
        notebookPath: 'prepare.ipynb',
        durationMs: 1500,
        attempts: [{ attempt: 1, startedAt: T(0), finishedAt: T(1.5) }],
        params: { token: '***', period: 'P1' },
        outputs: { rows: 12 },
      }),
      node('check', 'failed', {
        notebookPath: 'check.ipynb',
        durationMs: 900,
        attempts: [{ attempt: 1, startedAt: T(2), finishedAt: T(2.9), error }],
        error,
      }),
      node('gate', 'succeeded', {
        decision: true,
        notebook: undefined,
        attempts: [{ attempt: 1, startedAt: T(3), finishedAt: T(3) }],
        branch: {
          chose: 'publish',
          because: 'nodes.prepare.outputs.rows > 10',
          operands: { 'nodes.prepare.outputs.rows': 12 },
          rejected: ['false'],
        },
      }),
      node('publish', 'skipped', { skip: { kind: 'upstream_failed', upstream: ['check'] } }),
    ],
    {
      'prepare.ipynb': notebook([
        code([{ output_type: 'stream', name: 'stdout', text: 'ok\n' }]),
        code(
          [
            { output_type: 'display_data', data: { 'text/html': '<b onclick="steal()">table</b><script>alert(1)</script>' }, metadata: {} },
            { output_type: 'display_data', data: { 'image/png': PNG }, metadata: {} },
          ],
          ['report'],
        ),
      ]),
      'check.ipynb': notebook([
        code([]),
        { ...code([{ output_type: 'error', ename: 'ValueError', evalue: 'bad rows', traceback }]), source: failingSource.split(/(?<=\n)/) },
        code([]),
      ]),
    },
    {
      status: 'failed',
      exitCode: 1,
      params: { token: '***', period: 'P1', rows: 5000 },
      resumedFrom: '20251231-000000-beef',
      startedAt: T(0),
      finishedAt: T(4),
      workflowSnapshot: {
        name: 'demo',
        file: 'demo.yml',
        hash: '',
        nodes: {
          prepare: snap({ outputs: { rows: 'integer', note: 'string' } }),
          check: snap({ needs: ['prepare'] }),
          gate: snap({
            needs: ['prepare'],
            next: [
              { when: 'false', goto: 'check' },
              { when: 'nodes.prepare.outputs.rows > 10', goto: 'publish' },
            ],
          }),
          publish: snap({ needs: ['check'] }),
        },
      } satisfies RunRecord['workflowSnapshot'],
    },
  );
  data = await readReportRun(dir);
  html = await buildRunReport(data, dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The HTML of the node's <details> section. */
const section = (id: string) => html.match(new RegExp(`<details class="node" id="n-${id}"[\\s\\S]*?</details>`))?.[0] ?? '';

describe('readReportRun', () => {
  it('reads a whole run with nothing missing, and the failing cell of the failed node from its notebook', () => {
    expect(data.missing).toEqual([]);
    expect(data.run.runId).toBe('20260101-000000-abcd');
    expect(data.failingCells).toEqual({ check: failingSource });
    expect(data.gallery.items.map((i) => Object.keys(i.data))).toEqual([['text/html'], ['image/png']]);
  });
});

describe('buildRunReport', () => {
  it('is a page with the report CSP, no script and no event handler, even from a notebook’s HTML output', () => {
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\sonclick=/i);
    expect(html).toContain('<b>table</b>');
  });

  it('fetches nothing: no src or href to http(s), and no URL at all outside the SVG namespaces', () => {
    const refs = [...html.matchAll(/\b(?:src|href)\s*=\s*["']?([^"'\s>]*)/gi)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(4);
    expect(refs.filter((r) => /^(https?:)?\/\//i.test(r))).toEqual([]);
    expect(refs.filter((r) => r.startsWith('data:'))).toEqual([`data:image/png;base64,${PNG}`]);
    const rest = html.replace(/\sxmlns(?::\w+)?="http:\/\/www\.w3\.org\/[^"]*"/g, '');
    expect(rest).not.toMatch(/https?:\/\//);
  });

  it('shows the run’s facts and params as recorded, a secret as ***', () => {
    expect(html).toContain('<title>demo 20260101-000000-abcd: failed</title>');
    expect(html).toMatch(/<table id="params">.*<td><code>token<\/code><\/td><td><code>&quot;\*\*\*&quot;<\/code><\/td>/);
    expect(html).toContain('<td><code>rows</code></td><td><code>5000</code></td>');
    expect(html).toContain('<tr><th>resumed from</th><td><code>20251231-000000-beef</code></td></tr>');
    expect(html).toContain('<tr><th>exit code</th><td>1</td></tr>');
    expect(html).not.toContain('id="missing"');
  });

  it('draws the DAG and the timeline as inline SVG', () => {
    const dag = html.match(/<div class="graphic" id="dag">([\s\S]*?)<\/div>/)?.[1] ?? '';
    expect(dag.startsWith('<svg')).toBe(true);
    for (const id of ['prepare', 'check', 'gate', 'publish']) expect(dag).toContain(`<g id="node&#45;${id}" class="node status&#45;`);
    expect(html).toMatch(/<div class="graphic" id="timeline-chart"><svg/);
  });

  it('has a section id="n-<id>" per node, the failed one open', () => {
    const ids = [...html.matchAll(/<details class="node" id="n-([^"]+)" data-status="([^"]+)"( open)?>/g)].map((m) => [m[1], m[2], !!m[3]]);
    expect(ids).toEqual([
      ['prepare', 'succeeded', false],
      ['check', 'failed', true],
      ['gate', 'succeeded', false],
      ['publish', 'skipped', false],
    ]);
  });

  it('explains the failure: ename: evalue, where, the failing cell’s source, and the traceback without ANSI codes', () => {
    const s = section('check');
    expect(s).toContain('<p><strong>ValueError: bad rows</strong> in cell 1 (In [2])</p>');
    expect(s).toContain(
      `<pre class="cell-source">${'rows = load()\nraise ValueError(&quot;bad rows&quot;) if rows &lt; 0 else None'}</pre>`,
    );
    const tb = s.match(/<pre class="traceback">([\s\S]*?)<\/pre>/)?.[1] ?? '';
    expect(tb).not.toContain('\x1b');
    expect(tb).not.toMatch(/\[\d+(;\d+)*m/);
    expect(tb).toContain('----&gt; 1 raise ValueError(&quot;bad rows&quot;)');
    expect(tb.split('\n').at(-1)).toBe('ValueError: bad rows');
    expect(s).toContain('<td>error: ValueError: bad rows</td>');
  });

  it('lists outputs with their declared type, one declared but not recorded as such', () => {
    const s = section('prepare');
    expect(s).toContain('<tr><td><code>rows</code></td><td>integer</td><td><code>12</code></td></tr>');
    expect(s).toContain('<tr><td><code>note</code></td><td>string</td><td><span class="muted">not recorded</span></td></tr>');
    expect(s).toContain('<td><code>token</code></td><td><code>&quot;***&quot;</code></td>');
  });

  it('says what a decision chose and why, and why a node was skipped', () => {
    expect(section('gate')).toContain(
      '<p class="decision">Chose <strong>publish</strong> because <code>nodes.prepare.outputs.rows &gt; 10</code> (<code>nodes.prepare.outputs.rows</code> = <code>12</code>); false before it: <code>false</code></p>',
    );
    expect(section('gate')).toContain('decision node (no notebook, no kernel)');
    expect(section('publish')).toContain('<tr><th>skipped</th><td>upstream failed: check</td></tr>');
  });

  it('links each executed notebook relative to the page, and its HTML only when asked or present', async () => {
    expect(section('check')).toContain('<a class="notebook" href="check.ipynb">check.ipynb</a>');
    expect(section('check')).not.toContain('notebook-html');
    const sub = await buildRunReport(data, join(dir, 'pages'), { linkNotebookHtml: true });
    expect(sub).toContain(
      '<a class="notebook" href="../check.ipynb">check.ipynb</a> · <a class="notebook-html" href="../html/check.html">as HTML</a>',
    );
  });
});

describe('writeRunReport', () => {
  it('writes report.html into the run directory and names the notebooks it read', async () => {
    const out = await writeRunReport(dir);
    expect(out).toMatchObject({
      path: join(dir, 'report.html'),
      missing: [],
      notebooks: [join(dir, 'prepare.ipynb'), join(dir, 'check.ipynb')],
    });
    expect(readFileSync(out.path, 'utf8')).toBe(html);
  });
});
