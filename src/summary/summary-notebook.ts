// Builds and writes a run's summary.ipynb: the run, a table of outputs, every node's scraps re-glued, and the gallery.
import { join } from 'node:path';
import type { NodeState } from '../events/run-state.js';
import { newCodeCell, newMarkdownCell } from '../notebook/cells.js';
import { SCRAP_MIME_PREFIX } from '../notebook/scrapbook.js';
import type { Cell, DisplayDataOutput, Notebook } from '../notebook/types.js';
import { writeNotebookAtomic } from '../notebook/write-notebook.js';
import { type GalleryItem, type NotebookScraps, type RunGallery, readRunGallery } from './gallery.js';

/** The file written into the run directory. */
export const SUMMARY_FILE = 'summary.ipynb';
/**
 * Its name when the workflow has a node called `summary`, whose executed notebook is
 * `summary.ipynb`: node ids hold no dot, so no node's notebook is ever called this.
 */
export const SUMMARY_FILE_BESIDE_NODE = 'summary.run.ipynb';
/** Longest output value shown in the table, in characters. */
const MAX_VALUE = 120;

/**
 * A scrap's name in summary.ipynb: `<node>.<scrap>`, or `<node>[<i>].<scrap>` for matrix
 * instance i, so that the scraps of all nodes live side by side in one notebook.
 */
export function summaryScrapName(node: string, instance: number | undefined, scrap: string): string {
  return `${instanceLabel(node, instance)}.${scrap}`;
}

/**
 * Reads `runDir` (readRunGallery) and writes its summary.ipynb (see summaryFileName) atomically; returns the path and
 * the notebooks that could not be read. Throws only when run.json cannot be read or the write fails.
 */
export async function writeSummaryNotebook(runDir: string): Promise<{ path: string; problems: RunGallery['problems'] }> {
  const gallery = await readRunGallery(runDir);
  const path = join(runDir, summaryFileName(Object.keys(gallery.run.nodes)));
  await writeNotebookAtomic(path, buildSummaryNotebook(gallery));
  return { path, problems: gallery.problems };
}

/** `summary.ipynb`, or `summary.run.ipynb` when a node called `summary` has that name. */
export function summaryFileName(nodeIds: readonly string[]): string {
  return nodeIds.includes('summary') ? SUMMARY_FILE_BESIDE_NODE : SUMMARY_FILE;
}

/** The summary notebook of a read run: nbformat 4.5, python3 kernelspec, deterministic cell ids. */
export function buildSummaryNotebook(g: RunGallery): Notebook {
  const cells: Cell[] = [newMarkdownCell(titleText(g)), newMarkdownCell(tableText(g))];
  if (g.problems.length > 0) {
    const lines = g.problems.map((p) => `- \`${instanceLabel(p.node, p.instance)}\`: ${escapeMarkdown(p.message)}`);
    cells.push(newMarkdownCell(`## Notebooks that could not be read\n\n${lines.join('\n')}`));
  }
  const scraps = scrapCell(g.notebooks);
  if (scraps) cells.push(newMarkdownCell(SCRAPS_HEADING), scraps);
  if (g.items.length > 0) {
    cells.push(newMarkdownCell('## Gallery'));
    for (const item of g.items) cells.push(newMarkdownCell(itemHeading(item)), itemCell(item, g.notebooks));
  }
  cells.forEach((c, i) => {
    c.id = `summary-${i}`;
  });
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
      language_info: { name: 'python' },
      flow: { summaryOf: g.run.runId, workflow: g.run.workflow },
    },
    cells,
  };
}

const SCRAPS_HEADING =
  "## Scraps\n\nEvery node's scraps, re-glued as `<node>.<scrap>` (a matrix instance: `<node>[<i>].<scrap>`): " +
  "`scrapbook.read_notebook('summary.ipynb').scraps`.";

function titleText(g: RunGallery): string {
  const r = g.run;
  const lines = [
    `# ${escapeMarkdown(r.workflow || 'run')}: run ${r.runId}`,
    '',
    `- **Status:** ${r.status}${r.exitCode !== undefined ? ` (exit code ${r.exitCode})` : ''}`,
    `- **Started:** ${r.startedAt || 'unknown'}`,
    `- **Duration:** ${r.durationMs !== undefined ? formatDuration(r.durationMs) : 'unfinished'}`,
  ];
  if (r.resumedFrom) lines.push(`- **Resumed from:** ${r.resumedFrom}`);
  if (r.status === 'running') lines.push('', 'The run had not finished when this summary was written (or flow was stopped).');
  return lines.join('\n');
}

function tableText(g: RunGallery): string {
  const rows = ['## Nodes', '', '| node | status | outputs |', '| --- | --- | --- |'];
  for (const node of Object.values(g.run.nodes)) {
    rows.push(row(node.id, node));
    node.instances?.forEach((inst, i) => {
      rows.push(row(instanceLabel(node.id, i), inst));
    });
  }
  return rows.join('\n');
}

function row(label: string, node: NodeState): string {
  const outputs = Object.entries(node.outputs ?? {}).map(([k, v]) => `\`${k}\` = ${cell(formatValue(v))}`);
  return `| \`${label}\` | ${node.status} | ${outputs.join('<br>') || ' '} |`;
}

/** A value as JSON (BigInts as numbers), cut to MAX_VALUE characters. */
export function formatValue(v: unknown): string {
  const json = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)) ?? 'null';
  return json.length <= MAX_VALUE ? json : `${json.slice(0, MAX_VALUE - 1)}…`;
}

/** Text safe inside a markdown table cell. */
function cell(s: string): string {
  return escapeMarkdown(s).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function escapeMarkdown(s: string): string {
  return s.replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'));
}

/** One code cell whose outputs are every node's data scraps, renamed; undefined when there are none. */
function scrapCell(notebooks: NotebookScraps[]): Cell | undefined {
  const outputs: DisplayDataOutput[] = [];
  for (const nb of notebooks) {
    const glued = new Set<string>();
    for (const s of nb.raw) {
      const name = summaryScrapName(nb.node, nb.instance, s.name);
      glued.add(s.name);
      outputs.push(scrapOutput(s.mime, { ...s.payload, name }));
    }
    // papermill's pm.record() values have no scrapbook payload: glued again with the json encoder.
    for (const [key, data] of Object.entries(nb.values)) {
      if (glued.has(key) || data === null || data === undefined) continue;
      const name = summaryScrapName(nb.node, nb.instance, key);
      outputs.push(scrapOutput(`${SCRAP_MIME_PREFIX}json+json`, { name, data, encoder: 'json', version: 1 }));
    }
  }
  if (outputs.length === 0) return undefined;
  const c = newCodeCell("import scrapbook as sb\nsb.read_notebook('summary.ipynb').scraps");
  if (c.cell_type === 'code') c.outputs = outputs;
  return c;
}

function scrapOutput(mime: string, payload: Record<string, unknown>): DisplayDataOutput {
  return {
    output_type: 'display_data',
    data: { [mime]: payload },
    metadata: { scrapbook: { name: payload.name, data: true, display: false } },
  };
}

function itemHeading(item: GalleryItem): string {
  const what = item.kind === 'scrap' ? `scrap \`${item.scrap}\`` : 'a cell tagged `report`';
  return `### \`${instanceLabel(item.node, item.instance)}\`, cell ${item.cell}\n\n${what}, from \`${item.path}\``;
}

/**
 * A gallery item as a display output. A scrap glued for display only (no data) keeps its
 * scrapbook mark, renamed, so that it is one of the summary's scraps too; any other output is
 * a plain display, so it does not hide the re-glued scrap of the same name.
 */
function itemCell(item: GalleryItem, notebooks: NotebookScraps[]): Cell {
  const metadata: Record<string, unknown> = { ...item.metadata };
  if (item.kind === 'scrap' && item.scrap !== undefined) {
    const nb = notebooks.find((n) => n.path === item.path);
    if (nb?.displayOnly.includes(item.scrap)) {
      metadata.scrapbook = { name: summaryScrapName(item.node, item.instance, item.scrap), data: false, display: true };
    }
  }
  const c = newCodeCell(`# ${instanceLabel(item.node, item.instance)}, cell ${item.cell}`);
  if (c.cell_type === 'code') c.outputs = [{ output_type: 'display_data', data: item.data, metadata }];
  return c;
}

function instanceLabel(node: string, instance: number | undefined): string {
  return instance === undefined ? node : `${node}[${instance}]`;
}

/** `850 ms`, `12.3 s`, `4 min 05 s`, `2 h 03 min`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(Math.floor(s % 60)).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}
