// `flow runs` as a table: run id, workflow, status, started, duration, node counts.
import { formatElapsed } from './format.js';
import { formatCounts } from './status-style.js';
import type { RunListEntry } from '../ledger/list-runs.js';

export function formatRunList(runs: readonly RunListEntry[], runsDir: string): string {
  if (runs.length === 0) return `no runs in ${runsDir}\n`;
  const rows = runs.map((r) => [
    r.runId,
    r.workflow,
    r.status,
    r.startedAt ? formatStarted(r.startedAt) : '-',
    r.durationMs === undefined ? '-' : formatElapsed(r.durationMs),
    triggerText(r),
    formatCounts(r.counts) || '-',
  ]);
  const table = formatTable(['RUN ID', 'WORKFLOW', 'STATUS', 'STARTED', 'DURATION', 'TRIGGER', 'NODES'], rows);
  const notes: string[] = [];
  const fromEvents = runs.filter((r) => r.fromEvents);
  if (fromEvents.length > 0) {
    notes.push(
      `${fromEvents.map((r) => r.runId).join(', ')}: run.json could not be read, so ${fromEvents.length === 1 ? 'its line comes' : 'their lines come'} from events.ndjson (\`flow show\` says more)`,
    );
  }
  const abandoned = runs.filter((r) => r.status === 'abandoned');
  if (abandoned.length > 0)
    notes.push(abandoned.length === 1 ? abandonedHint(abandoned[0].runId) : abandonedHint('<run id>', abandoned.length));
  if (notes.length === 0) return table;
  return `${table}\n${notes.join('\n')}\n`;
}

/** `manual`, or a scheduled run with the time it is for: `schedule for 2026-12-01 06:00:00Z`. */
function triggerText(r: RunListEntry): string {
  if (r.status === 'unreadable') return '-';
  const trigger = r.trigger ?? 'manual';
  return (trigger === 'schedule' || trigger === 'catchup') && r.logicalDate ? `${trigger} for ${formatStarted(r.logicalDate)}` : trigger;
}

/** What `abandoned` means and the next step, for `flow runs` and `flow show`. */
export function abandonedHint(runId: string, runs = 1): string {
  const what = runs === 1 ? 'the run' : `${runs} runs`;
  const it = runs === 1 ? 'it' : 'one';
  return `abandoned: flow stopped without recording the end of ${what} (killed?); continue ${it} with \`flow resume ${runId}\``;
}

/** `2026-11-26 09:30:00Z`: UTC, so that it reads the same on every machine. */
export function formatStarted(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].map((l) => `${l}\n`).join('');
}
