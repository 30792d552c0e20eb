// report.html: one self-contained page about one run — what ran, the DAG, a timeline of every
// attempt, each node's attempts, errors, outputs and params, the gallery, and matrix results.
import { existsSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import type { NodeState } from '../events/run-state.js';
import { readRunRecord, runFromEvents, runIsAbandoned } from '../ledger/read-run.js';
import { EVENTS_FILE } from '../ledger/run-dir.js';
import type { RunRecord } from '../ledger/run-record.js';
import { writeFileAtomic } from '../ledger/atomic-write.js';
import { readNotebook } from '../notebook/read-notebook.js';
import { notebookRefs, readRunGallery, type GalleryItem, type RunGallery } from './gallery.js';
import { badge, embeddableHtml, esc, facts, page } from './html.js';
import { matrixSpecs, matrixTable, timelineSpec, type MatrixTable } from './report-charts.js';
import { buildDot, skipText } from './report-dot.js';
import { renderDot, renderVegaLite } from './render-graphics.js';
import type { TopLevelSpec } from 'vega-lite';
import { formatDuration, formatValue } from './summary-notebook.js';
import { notebookHtmlPath } from './render-notebooks.js';

/** The file written into the run directory. */
export const REPORT_FILE = 'report.html';
/** Unreadable notebooks named at the top of the page; the rest are counted. */
const MAX_PROBLEMS_NAMED = 10;
/** Lines of a traceback shown; the rest is in the notebook. */
const TRACEBACK_LINES = 40;

/** A run as the report reads it, with what could not be read. */
export interface ReportRun {
  run: RunRecord;
  runDir: string;
  gallery: RunGallery;
  /** Things missing from the record, said at the top of the page. */
  missing: string[];
  /** Failed nodes' failing cell source, by `node` or `node[i]`. */
  failingCells: Record<string, string>;
}

/**
 * Reads a run directory for a report: run.json, or, when that is missing or unreadable, the run
 * rebuilt from events.ndjson; then every executed notebook. Throws (UsageError) only when
 * neither can be read.
 */
export async function readReportRun(runDir: string): Promise<ReportRun> {
  const missing: string[] = [];
  let run: RunRecord;
  try {
    run = await readRunRecord(runDir);
  } catch (err) {
    const rebuilt = await runFromEvents(runDir);
    if (!rebuilt) throw err;
    missing.push(`${(err as Error).message}: this page is rebuilt from ${EVENTS_FILE}, and may miss the run's last moments`);
    run = rebuilt;
  }
  if (run.status === 'running') {
    missing.push(
      runIsAbandoned(run)
        ? `flow was stopped before the run ended (last written ${run.updatedAt ?? 'at an unknown time'}): nodes still shown running never finished; \`flow resume ${run.runId}\` repairs the run`
        : 'the run is still going: this page shows it as it was when written',
    );
  }
  const gallery = await readRunGallery(runDir, run);
  // Named one by one up to a point: a moved run directory can lose a thousand notebooks at once.
  for (const p of gallery.problems.slice(0, MAX_PROBLEMS_NAMED)) {
    missing.push(`the notebook of ${label(p.node, p.instance)} could not be read (${p.path}): ${p.message}`);
  }
  if (gallery.problems.length > MAX_PROBLEMS_NAMED) {
    missing.push(`and ${gallery.problems.length - MAX_PROBLEMS_NAMED} more notebooks could not be read`);
  }
  const failingCells: Record<string, string> = {};
  for (const ref of notebookRefs(run, runDir)) {
    const state = ref.instance === undefined ? run.nodes[ref.node] : run.nodes[ref.node]?.instances?.[ref.instance];
    if (state?.status !== 'failed' || gallery.problems.some((p) => p.path === ref.path)) continue;
    const source = await failingCellSource(ref.path);
    if (source !== undefined) failingCells[label(ref.node, ref.instance)] = source;
  }
  return { run, runDir, gallery, missing, failingCells };
}

/** The source of the cell whose output is the error, in an executed notebook. */
async function failingCellSource(path: string): Promise<string | undefined> {
  try {
    const nb = await readNotebook(path);
    const cell = nb.cells.find((c) => c.cell_type === 'code' && c.outputs.some((o) => o.output_type === 'error'));
    if (!cell) return undefined;
    return Array.isArray(cell.source) ? cell.source.join('') : cell.source;
  } catch {
    return undefined;
  }
}

function label(node: string, instance: number | undefined): string {
  return instance === undefined ? node : `${node}[${instance}]`;
}

export interface RunReportOptions {
  /** @default `<runDir>/report.html` */
  file?: string;
  /**
   * Link every executed notebook's HTML (render-notebooks.ts), about to be rendered; otherwise
   * only those already there. @default false
   */
  linkNotebookHtml?: boolean;
}

/**
 * Writes a run's report.html atomically; returns its path, what is missing from the run, and the
 * executed notebooks that could be read (to render to HTML).
 */
export async function writeRunReport(
  runDir: string,
  opts: RunReportOptions = {},
): Promise<{ path: string; missing: string[]; notebooks: string[]; data: ReportRun }> {
  const file = opts.file ?? join(runDir, REPORT_FILE);
  const data = await readReportRun(runDir);
  await writeFileAtomic(file, await buildRunReport(data, dirname(file), opts));
  return { path: file, missing: data.missing, notebooks: data.gallery.notebooks.map((n) => n.path), data };
}

/** The page of one run; links are relative to `pageDir`, where the page will be written. */
export async function buildRunReport(data: ReportRun, pageDir: string, opts: RunReportOptions = {}): Promise<string> {
  const { run } = data;
  const link = (path: string) => encodeURI(relative(pageDir, path).split('\\').join('/'));
  const sections: string[] = [];
  if (data.missing.length > 0) {
    sections.push(
      `<div class="banner" id="missing"><strong>Incomplete:</strong><ul>${data.missing.map((m) => `<li>${esc(m)}</li>`).join('')}</ul></div>`,
    );
  }
  sections.push(`<h2 id="run">Run</h2><div class="cols">${runFacts(run)}<div>${paramsTable(run.params)}</div></div>`);
  sections.push(`<h2 id="graph">Graph</h2><div class="graphic" id="dag">${await graphSvg(run)}</div>`);
  const timeline = timelineSpec(run);
  if (timeline) sections.push(`<h2 id="timeline">Timeline</h2><div class="graphic" id="timeline-chart">${await chartSvg(timeline)}</div>`);
  if (data.gallery.items.length > 0) sections.push(`<h2 id="gallery">Gallery</h2>${gallerySection(data.gallery.items, link)}`);
  const matrices = Object.values(run.nodes)
    .map((n) => matrixTable(run, n))
    .filter((t): t is MatrixTable => t !== undefined);
  for (const t of matrices) sections.push(await matrixSection(t));
  sections.push(
    `<h2 id="nodes">Nodes</h2>${Object.values(run.nodes)
      .map((n) => nodeSection(run, n, data, link, opts))
      .join('\n')}`,
  );
  const header = `<h1>${esc(run.workflow)} ${badge(run.status)}</h1><div class="muted">run ${esc(run.runId)} · ${esc(countsText(run))}</div>
<nav><a href="#run">Run</a><a href="#graph">Graph</a>${timeline ? '<a href="#timeline">Timeline</a>' : ''}${data.gallery.items.length ? '<a href="#gallery">Gallery</a>' : ''}<a href="#nodes">Nodes</a></nav>`;
  return page(`${run.workflow} ${run.runId}: ${run.status}`, header, sections.join('\n'));
}

function countsText(run: RunRecord): string {
  const counts = new Map<string, number>();
  for (const n of Object.values(run.nodes)) counts.set(n.status, (counts.get(n.status) ?? 0) + 1);
  return [...counts.entries()].map(([s, c]) => `${c} ${s.replace(/_/g, ' ')}`).join(', ');
}

function runFacts(run: RunRecord): string {
  return facts([
    ['workflow', esc(run.workflow)],
    ['workflow file', `<code>${esc(run.workflowFile)}</code>`],
    ['run id', `<code>${esc(run.runId)}</code>`],
    ['status', badge(run.status)],
    ['exit code', run.exitCode === undefined ? undefined : esc(run.exitCode)],
    ['started', esc(run.startedAt)],
    ['finished', run.finishedAt ? esc(run.finishedAt) : undefined],
    ['duration', run.durationMs === undefined ? undefined : esc(formatDuration(run.durationMs))],
    ['host', run.host ? esc(run.host) : undefined],
    ['flow version', esc(run.flowVersion)],
    ['resumed from', run.resumedFrom ? `<code>${esc(run.resumedFrom)}</code>` : undefined],
    ['run directory', `<code>${esc(run.runDir)}</code>`],
  ]);
}

/** Params as run.json holds them: secret ones are already `***` there. */
function paramsTable(params: Record<string, unknown>): string {
  const rows = Object.entries(params);
  if (rows.length === 0) return '';
  return `<h3>Params</h3><table id="params"><tr><th>param</th><th>value</th></tr>${rows
    .map(([k, v]) => `<tr><td><code>${esc(k)}</code></td><td><code>${esc(formatValue(v))}</code></td></tr>`)
    .join('')}</table>`;
}

async function graphSvg(run: RunRecord): Promise<string> {
  try {
    return await renderDot(buildDot(run));
  } catch (err) {
    return `<p class="banner">The graph could not be drawn: ${esc((err as Error).message)}</p>`;
  }
}

/** A chart's SVG; one that cannot be drawn says why instead of failing the page. */
export async function chartSvg(spec: TopLevelSpec): Promise<string> {
  try {
    return await renderVegaLite(spec);
  } catch (err) {
    return `<p class="banner">The chart could not be drawn: ${esc((err as Error).message)}</p>`;
  }
}

function gallerySection(items: GalleryItem[], link: (p: string) => string): string {
  const figures = items.map((item) => {
    const what = item.kind === 'scrap' ? `scrap <code>${esc(item.scrap)}</code>` : 'a cell tagged <code>report</code>';
    const caption = `<figcaption><a href="#n-${esc(item.node)}">${esc(label(item.node, item.instance))}</a>, cell ${item.cell}: ${what} · <a href="${esc(link(item.path))}">${esc(basename(item.path))}</a></figcaption>`;
    return `<figure class="gallery-item" data-node="${esc(item.node)}" data-cell="${item.cell}">${mimeHtml(item.data)}${caption}</figure>`;
  });
  return `<div class="gallery">${figures.join('\n')}</div>`;
}

/** The richest of a mime bundle as HTML: images as data: URIs, HTML cleaned, text as text. */
function mimeHtml(data: Record<string, unknown>): string {
  const text = (v: unknown) => (Array.isArray(v) ? v.join('') : String(v));
  if (data['image/png'] !== undefined)
    return `<img alt="figure" src="data:image/png;base64,${esc(text(data['image/png']).replace(/\s/g, ''))}">`;
  if (data['image/svg+xml'] !== undefined) {
    return `<img alt="figure" src="data:image/svg+xml;base64,${Buffer.from(text(data['image/svg+xml'])).toString('base64')}">`;
  }
  if (data['text/html'] !== undefined) return `<div class="html-output">${embeddableHtml(text(data['text/html']))}</div>`;
  return `<pre>${esc(text(data['text/plain'] ?? ''))}</pre>`;
}

async function matrixSection(t: MatrixTable): Promise<string> {
  const head = ['#', ...t.keys, 'status', ...t.outputs].map((h) => `<th>${esc(h)}</th>`).join('');
  const rows = t.rows
    .map(
      (r) =>
        `<tr><td>${r.instance}</td>${t.keys.map((k) => `<td><code>${esc(formatValue(r.values[k]))}</code></td>`).join('')}<td>${badge(r.status)}</td>${t.outputs
          .map((o) => `<td>${r.outputs[o] === undefined ? '' : `<code>${esc(formatValue(r.outputs[o]))}</code>`}</td>`)
          .join('')}</tr>`,
    )
    .join('');
  const charts = await Promise.all(
    matrixSpecs(t).map(async (c) => `<div class="graphic matrix-chart" data-output="${esc(c.output)}">${await chartSvg(c.spec)}</div>`),
  );
  return `<h2 id="matrix-${esc(t.node)}">Matrix: ${esc(t.node)}</h2><table class="matrix" data-node="${esc(t.node)}"><tr>${head}</tr>${rows}</table>${charts.length ? `<div class="gallery">${charts.join('')}</div>` : ''}`;
}

function nodeSection(run: RunRecord, n: NodeState, data: ReportRun, link: (p: string) => string, opts: RunReportOptions): string {
  const snapshot = run.workflowSnapshot?.nodes?.[n.id];
  const parts: string[] = [];
  parts.push(
    facts([
      ['status', badge(n.status)],
      [
        'kind',
        n.decision
          ? 'decision node (no notebook, no kernel)'
          : n.instances?.length
            ? `matrix of ${n.instances.length} instances`
            : undefined,
      ],
      ['notebook', n.notebook ? `<code>${esc(n.notebook)}</code>` : undefined],
      ['duration', n.durationMs === undefined ? undefined : esc(formatDuration(n.durationMs))],
      ['skipped', n.skip ? esc(skipText(n.skip)) : undefined],
      ['reused', n.reused ? 'yes, from the run it resumed' : undefined],
      ['continue on error', n.continueOnError ? 'yes: the run went on' : undefined],
    ]),
  );
  if (n.branch) {
    const ops = Object.entries(n.branch.operands).map(([k, v]) => `<code>${esc(k)}</code> = <code>${esc(formatValue(v))}</code>`);
    parts.push(
      `<p class="decision">Chose <strong>${esc(n.branch.chose ?? 'no branch')}</strong>${n.branch.because ? ` because <code>${esc(n.branch.because)}</code>` : ''}${ops.length ? ` (${ops.join(', ')})` : ''}${
        n.branch.rejected?.length ? `; false before it: ${n.branch.rejected.map((r) => `<code>${esc(r)}</code>`).join(', ')}` : ''
      }</p>`,
    );
  }
  const lanes: [string, NodeState][] = n.instances?.length
    ? n.instances.map((s, i) => [`${n.id}[${i}]`, s] as [string, NodeState]).filter(([, s]) => s)
    : [[n.id, n]];
  for (const [lane, s] of lanes) {
    if (lanes.length > 1) parts.push(`<h3>${esc(lane)} ${badge(s.status)}</h3>`);
    parts.push(attemptsTable(s));
    if (s.error && s.status === 'failed') parts.push(errorBlock(s, data.failingCells[lane]));
    parts.push(outputsTable(s.outputs, snapshot?.outputs ?? {}));
    if (s.params && Object.keys(s.params).length > 0 && (lanes.length === 1 || s !== n)) parts.push(paramsOf(s.params));
    parts.push(notebookLinks(s, data.runDir, link, opts.linkNotebookHtml === true));
  }
  return `<details class="node" id="n-${esc(n.id)}" data-status="${esc(n.status)}"${n.status === 'failed' ? ' open' : ''}><summary>${esc(n.id)} ${badge(n.status)}${
    n.durationMs !== undefined && n.status !== 'skipped' ? ` <span class="muted">${esc(formatDuration(n.durationMs))}</span>` : ''
  }</summary>${parts.join('\n')}</details>`;
}

function attemptsTable(s: NodeState): string {
  if (s.attempts.length === 0) return '';
  const rows = s.attempts.map((a) => {
    const ms = a.finishedAt ? Date.parse(a.finishedAt) - Date.parse(a.startedAt) : undefined;
    const result = a.error
      ? `${esc(a.error.errorClass)}: ${esc(a.error.ename ? `${a.error.ename}: ${a.error.evalue ?? ''}` : a.error.message)}`
      : a.finishedAt
        ? 'ok'
        : 'did not finish';
    return `<tr><td>${a.attempt}</td><td>${esc(a.startedAt)}</td><td>${ms === undefined ? '' : esc(formatDuration(ms))}</td><td>${result}</td></tr>`;
  });
  return `<table class="attempts"><tr><th>attempt</th><th>started</th><th>took</th><th>result</th></tr>${rows.join('')}</table>`;
}

const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

function errorBlock(s: NodeState, cellSource: string | undefined): string {
  const e = s.error!;
  const head = e.ename ? `${e.ename}: ${e.evalue ?? ''}` : e.message;
  const where = e.cell !== undefined ? ` in cell ${e.cell}${e.executionCount ? ` (In [${e.executionCount}])` : ''}` : '';
  const tb = (e.traceback ?? []).join('\n').replace(ANSI, '').split('\n');
  const excerpt = tb.length > TRACEBACK_LINES ? ['…', ...tb.slice(-TRACEBACK_LINES)] : tb;
  return `<div class="error"><p><strong>${esc(head)}</strong>${esc(where)}</p>${
    cellSource !== undefined ? `<h4>Failing cell</h4><pre class="cell-source">${esc(cellSource)}</pre>` : ''
  }${tb.length > 1 || tb[0] ? `<h4>Traceback</h4><pre class="traceback">${esc(excerpt.join('\n'))}</pre>` : ''}</div>`;
}

function outputsTable(outputs: Record<string, unknown> | undefined, declared: Record<string, string>): string {
  const names = [...new Set([...Object.keys(declared), ...Object.keys(outputs ?? {})])];
  if (names.length === 0) return '';
  const rows = names.map(
    (k) =>
      `<tr><td><code>${esc(k)}</code></td><td>${esc(declared[k] ?? '')}</td><td>${outputs && k in outputs ? `<code>${esc(formatValue(outputs[k]))}</code>` : '<span class="muted">not recorded</span>'}</td></tr>`,
  );
  return `<table class="outputs"><tr><th>output</th><th>type</th><th>value</th></tr>${rows.join('')}</table>`;
}

function paramsOf(params: Record<string, unknown>): string {
  return `<table class="node-params"><tr><th>param</th><th>value</th></tr>${Object.entries(params)
    .map(([k, v]) => `<tr><td><code>${esc(k)}</code></td><td><code>${esc(formatValue(v))}</code></td></tr>`)
    .join('')}</table>`;
}

function notebookLinks(s: NodeState, runDir: string, link: (p: string) => string, linkHtml: boolean): string {
  const recorded = s.notebookPath ?? s.attempts.at(-1)?.notebookPath;
  if (!recorded) return '';
  const path = existsSync(recorded) ? recorded : join(runDir, basename(recorded));
  const html = notebookHtmlPath(runDir, path);
  return `<p class="links">Executed notebook: <a class="notebook" href="${esc(link(path))}">${esc(basename(path))}</a>${
    linkHtml || existsSync(html) ? ` · <a class="notebook-html" href="${esc(link(html))}">as HTML</a>` : ''
  }</p>`;
}
