// One page over several runs (P1, P2 and P3 of a return; a week of audit runs): the same nodes'
// statuses, durations and outputs side by side, and each numeric output charted across the runs.
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { NodeState } from '../events/run-state.js';
import { writeFileAtomic } from '../ledger/atomic-write.js';
import type { RunRecord } from '../ledger/run-record.js';
import { badge, esc, page } from './html.js';
import { compareSpecs } from './report-charts.js';
import { chartSvg, readReportRun, REPORT_FILE } from './report-page.js';
import { formatDuration, formatValue } from './summary-notebook.js';

/** Reads each run directory (as the run report does) and writes the comparison page to `file`. */
export async function writeComparisonReport(runDirs: readonly string[], file: string): Promise<{ path: string; missing: string[] }> {
  const runs = await Promise.all(runDirs.map((d) => readReportRun(d)));
  const missing = runs.flatMap((r) => r.missing.map((m) => `${r.run.runId}: ${m}`));
  await writeFileAtomic(
    file,
    await buildComparisonReport(
      runs.map((r) => r.run),
      dirname(file),
      missing,
    ),
  );
  return { path: file, missing };
}

/** Node ids of every run, in the order they first appear. */
function nodeIds(runs: RunRecord[]): string[] {
  const ids = new Set<string>();
  for (const r of runs) for (const id of Object.keys(r.nodes)) ids.add(id);
  return [...ids];
}

/** The comparison page; links (to each run's report.html) are relative to `pageDir`. */
export async function buildComparisonReport(runs: RunRecord[], pageDir: string, missing: string[] = []): Promise<string> {
  const workflows = [...new Set(runs.map((r) => r.workflow))];
  const paramNames = [...new Set(runs.flatMap((r) => Object.keys(r.params)))];
  const differing = paramNames.filter((p) => new Set(runs.map((r) => formatValue(r.params[p]))).size > 1);
  const runHead = runs
    .map((r, i) => {
      const report = join(r.runDir, REPORT_FILE);
      const title = existsSync(report) ? `<a href="${esc(encodeURI(relative(pageDir, report)))}">${esc(r.runId)}</a>` : esc(r.runId);
      return `<th class="run" data-run="${esc(r.runId)}">${i + 1}. ${title}<br>${badge(r.status)}</th>`;
    })
    .join('');
  const sections: string[] = [];
  if (missing.length > 0)
    sections.push(`<div class="banner"><strong>Incomplete:</strong><ul>${missing.map((m) => `<li>${esc(m)}</li>`).join('')}</ul></div>`);
  const runRows = [
    ['workflow', (r: RunRecord) => esc(r.workflow)],
    ['started', (r: RunRecord) => esc(r.startedAt)],
    ['duration', (r: RunRecord) => (r.durationMs === undefined ? '' : esc(formatDuration(r.durationMs)))],
    ['exit code', (r: RunRecord) => esc(r.exitCode ?? '')],
    ...differing.map((p) => [`params.${p}`, (r: RunRecord) => `<code>${esc(formatValue(r.params[p]))}</code>`] as const),
  ] as const;
  sections.push(
    `<h2 id="runs">Runs</h2><table id="runs-table"><tr><th></th>${runHead}</tr>${runRows
      .map(([name, cell]) => `<tr><th>${esc(name)}</th>${runs.map((r) => `<td>${cell(r)}</td>`).join('')}</tr>`)
      .join('')}</table>${
      differing.length < paramNames.length
        ? `<p class="muted">Params the same in every run: ${paramNames
            .filter((p) => !differing.includes(p))
            .map((p) => `<code>${esc(p)}</code> = <code>${esc(formatValue(runs[0]!.params[p]))}</code>`)
            .join(', ')}</p>`
        : ''
    }`,
  );
  const rows = nodeIds(runs).map(
    (id) => `<tr data-node="${esc(id)}"><th>${esc(id)}</th>${runs.map((r) => `<td>${nodeCell(r.nodes[id])}</td>`).join('')}</tr>`,
  );
  sections.push(`<h2 id="nodes">Nodes</h2><table id="compare-nodes"><tr><th>node</th>${runHead}</tr>${rows.join('')}</table>`);
  const charts = await Promise.all(
    compareSpecs(runs).map(async (c) => `<div class="graphic compare-chart" data-output="${esc(c.key)}">${await chartSvg(c.spec)}</div>`),
  );
  if (charts.length > 0) sections.push(`<h2 id="charts">Numeric outputs across the runs</h2><div class="gallery">${charts.join('')}</div>`);
  const header = `<h1>${esc(workflows.join(', '))}: ${runs.length} runs compared</h1><div class="muted">${runs.map((r) => esc(r.runId)).join(' · ')}</div>`;
  return page(`${workflows.join(', ')}: ${runs.length} runs`, header, sections.join('\n'));
}

function nodeCell(n: NodeState | undefined): string {
  if (!n) return '<span class="muted">not in this run</span>';
  const duration =
    n.durationMs !== undefined && n.status !== 'skipped' ? ` <span class="muted">${esc(formatDuration(n.durationMs))}</span>` : '';
  const error = n.status === 'failed' && n.error ? `<br><code>${esc(n.error.ename ?? n.error.errorClass)}</code>` : '';
  const outputs = Object.entries(n.outputs ?? {})
    .map(([k, v]) => `<br><code>${esc(k)}</code> = <code>${esc(formatValue(v))}</code>`)
    .join('');
  return `${badge(n.status)}${duration}${error}${outputs}`;
}
