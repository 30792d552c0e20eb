// Papermill's error markers: a banner first and an anchor just before the cell that failed.
import { hasTag, newMarkdownCell } from './cells.js';
import type { Notebook } from './types.js';

/** The tag papermill puts on both marker cells; it removes them before a re-run. */
export const ERROR_MARKER_TAG = 'papermill-error-cell-tag';

const ERROR_STYLE = 'style="color:red; font-family:Helvetica Neue, Helvetica, Arial, sans-serif; font-size:2em;"';

/** Papermill's exact markdown, so that tools and people looking for it find it. */
export function errorBannerSource(executionCount: number | null): string {
  // papermill formats with str(): a missing count shows as "None"
  const n = executionCount === null ? 'None' : String(executionCount);
  return `<span ${ERROR_STYLE}>An Exception was encountered at '<a href="#papermill-error-cell">In [${n}]</a>'.</span>`;
}

export const ERROR_ANCHOR_SOURCE = `<span id="papermill-error-cell" ${ERROR_STYLE}>Execution using papermill encountered an exception here and stopped:</span>`;

/**
 * Inserts papermill's two marker cells, in place: the anchor just before cell
 * `failingCellIndex`, then the banner first. Returns `nb`. Afterwards the failing cell is at
 * `failingCellIndex + 2`.
 */
export function addErrorBanner(nb: Notebook, failingCellIndex: number, executionCount: number | null): Notebook {
  nb.cells.splice(failingCellIndex, 0, newMarkdownCell(ERROR_ANCHOR_SOURCE, [ERROR_MARKER_TAG]));
  nb.cells.unshift(newMarkdownCell(errorBannerSource(executionCount), [ERROR_MARKER_TAG]));
  return nb;
}

/** Removes marker cells left by an earlier papermill or flow run, in place. Returns `nb`. */
export function removeErrorMarkers(nb: Notebook): Notebook {
  nb.cells = nb.cells.filter((c) => !hasTag(c, ERROR_MARKER_TAG));
  return nb;
}
