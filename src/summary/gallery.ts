// Reads a finished (or half-written) run's executed notebooks: their scraps and the gallery of figures and tables.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import type { NodeState } from '../events/run-state.js';
import { readRunRecord } from '../ledger/read-run.js';
import type { RunRecord } from '../ledger/run-record.js';
import { hasTag } from '../notebook/cells.js';
import { readNotebook } from '../notebook/read-notebook.js';
import { SCRAP_MIME_PREFIX, collectScraps } from '../notebook/scrapbook.js';
import type { Notebook } from '../notebook/types.js';

/** The tag that puts a cell's outputs in the gallery. */
export const REPORT_TAG = 'report';
/** The mimetypes a gallery item may carry, richest first. */
export const GALLERY_MIMES = ['image/png', 'image/svg+xml', 'text/html', 'text/plain'] as const;

/** Which notebook of the run: a node's, or one matrix instance's. */
export interface NotebookRef {
  node: string;
  /** The matrix instance's index; absent for a node without a matrix. */
  instance?: number;
  /** Absolute path of the executed notebook. */
  path: string;
}

/** One figure or table: an output of a `report`-tagged cell, or a scrap glued with `display=True`. */
export interface GalleryItem extends NotebookRef {
  /** 0-based index of the cell in the executed notebook. */
  cell: number;
  kind: 'report-cell' | 'scrap';
  /** The scrap's name, for kind `scrap`. */
  scrap?: string;
  /** The output's mime bundle, restricted to GALLERY_MIMES (at least one). */
  data: Record<string, unknown>;
  /** The output's metadata (image sizes…), without scrapbook's and papermill's keys. */
  metadata: Record<string, unknown>;
}

/** A scrap's data output as scrapbook wrote it, kept whole so that any encoder can be re-glued. */
export interface RawScrap {
  name: string;
  /** `application/scrapbook.scrap.<encoder>+json`. */
  mime: string;
  payload: Record<string, unknown>;
}

/** What one executed notebook holds. */
export interface NotebookScraps extends NotebookRef {
  /** Decoded values (json and text encoders), by name, as collectScraps reads them. */
  values: Record<string, unknown>;
  /** Every data scrap, in notebook order, the last of a name winning. */
  raw: RawScrap[];
  /** Names of scraps glued with an encoder of `display` only (no data). */
  displayOnly: string[];
}

/** An executed notebook the run records but that could not be read. */
export interface GalleryProblem extends NotebookRef {
  message: string;
}

export interface RunGallery {
  run: RunRecord;
  notebooks: NotebookScraps[];
  items: GalleryItem[];
  problems: GalleryProblem[];
}

/**
 * Reads run.json of `runDir` and every executed notebook it records (each node's, each matrix
 * instance's). A notebook that cannot be read is a problem, not an error; run.json missing or
 * unreadable throws (UsageError) unless `record` is given. Works on a run still `running` or whose flow was killed.
 */
export async function readRunGallery(runDir: string, record?: RunRecord): Promise<RunGallery> {
  const run = record ?? (await readRunRecord(runDir));
  const gallery: RunGallery = { run, notebooks: [], items: [], problems: [] };
  for (const ref of notebookRefs(run, runDir)) {
    let nb: Notebook;
    try {
      // Only a notebook that can hold a scrap or a `report` cell is parsed: a run's end must not
      // pay (in time and memory) for parsing a notebook that printed megabytes and glued nothing.
      const text = await readFile(ref.path, 'utf8').catch(() => undefined); // unreadable: readNotebook says why
      if (text !== undefined && !mayHoldSummaryItems(text)) {
        gallery.notebooks.push(notebookScraps(ref, { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] }));
        continue;
      }
      nb = await readNotebook(ref.path);
    } catch (err) {
      gallery.problems.push({ ...ref, message: (err as Error).message });
      continue;
    }
    gallery.notebooks.push(notebookScraps(ref, nb));
    gallery.items.push(...galleryItems(ref, nb));
  }
  return gallery;
}

/** Notebooks smaller than this are always parsed (a broken one is then named in problems). */
const ALWAYS_PARSE_BYTES = 1024 * 1024;

/**
 * Whether a notebook's text may hold a scrap (scrapbook's or papermill's record) or a `report`
 * cell: false only for a big one that mentions neither (and looks like a JSON object).
 */
function mayHoldSummaryItems(text: string): boolean {
  if (text.length < ALWAYS_PARSE_BYTES) return true;
  const looksWhole = text.trimStart().startsWith('{') && text.trimEnd().endsWith('}');
  return !looksWhole || text.includes('scrapbook') || text.includes('papermill.record') || text.includes(`"${REPORT_TAG}"`);
}

/** The executed notebooks a run records, in plan order, instances by index. */
export function notebookRefs(run: RunRecord, runDir: string): NotebookRef[] {
  const refs: NotebookRef[] = [];
  for (const node of Object.values(run.nodes)) {
    if (node.instances && node.instances.length > 0) {
      node.instances.forEach((inst, i) => {
        const path = notebookOf(inst, runDir);
        if (path) refs.push({ node: node.id, instance: i, path });
      });
    } else {
      const path = notebookOf(node, runDir);
      if (path) refs.push({ node: node.id, path });
    }
  }
  return refs;
}

/** The node's executed notebook; a run directory that was moved is looked in by file name. */
function notebookOf(node: NodeState, runDir: string): string | undefined {
  const recorded = node.notebookPath ?? node.attempts.at(-1)?.notebookPath;
  if (!recorded) return undefined;
  if (!isAbsolute(recorded)) return join(runDir, recorded);
  if (existsSync(recorded)) return recorded;
  const moved = join(runDir, basename(recorded));
  return existsSync(moved) ? moved : recorded;
}

/** The scraps of one notebook. */
export function notebookScraps(ref: NotebookRef, nb: Notebook): NotebookScraps {
  const raw = new Map<string, RawScrap>();
  const displayed = new Set<string>();
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'code') continue;
    for (const out of cell.outputs) {
      if (out.output_type !== 'display_data' && out.output_type !== 'execute_result') continue;
      for (const [mime, payload] of Object.entries(out.data ?? {})) {
        if (!mime.startsWith(SCRAP_MIME_PREFIX) || !isObject(payload) || typeof payload.name !== 'string') continue;
        raw.delete(payload.name); // the last one wins, at its place in the order
        raw.set(payload.name, { name: payload.name, mime, payload });
      }
      const name = displayScrapName(out.metadata);
      if (name !== undefined) displayed.add(name);
    }
  }
  const displayOnly = [...displayed].filter((n) => !raw.has(n));
  return { ...ref, values: collectScraps(nb), raw: [...raw.values()], displayOnly };
}

/** The gallery items of one notebook, in cell order. */
export function galleryItems(ref: NotebookRef, nb: Notebook): GalleryItem[] {
  const items: GalleryItem[] = [];
  nb.cells.forEach((cell, index) => {
    if (cell.cell_type !== 'code') return;
    const tagged = hasTag(cell, REPORT_TAG);
    for (const out of cell.outputs) {
      if (out.output_type !== 'display_data' && out.output_type !== 'execute_result') continue;
      const scrap = displayScrapName(out.metadata);
      if (scrap === undefined && !tagged) continue;
      const data: Record<string, unknown> = {};
      for (const mime of GALLERY_MIMES) if (out.data?.[mime] !== undefined) data[mime] = out.data[mime];
      if (Object.keys(data).length === 0) continue;
      const { scrapbook: _s, papermill: _p, ...metadata } = out.metadata ?? {};
      items.push({
        ...ref,
        cell: index,
        kind: scrap === undefined ? 'report-cell' : 'scrap',
        ...(scrap !== undefined && { scrap }),
        data,
        metadata,
      });
    }
  });
  return items;
}

/** The name of a scrap glued with `display=True`: scrapbook marks its display output so. */
function displayScrapName(metadata: Record<string, unknown> | undefined): string | undefined {
  const sb = metadata?.scrapbook;
  if (!isObject(sb) || sb.display !== true || typeof sb.name !== 'string') return undefined;
  return sb.name;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
