// The plain reporter: exact lines for the scripted run (UTC timestamps, no colour).
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/events/run-event.js';
import { createPlainReporter } from '../../../src/report/plain.js';
import { buildEventScript, scriptAt, scriptSummary } from '../../helpers/event-script.js';

async function print(events: RunEvent[], opts: { verbose?: boolean; color?: boolean } = {}): Promise<string> {
  let out = '';
  const r = createPlainReporter({
    out: { write: (s: string) => (out += s) },
    color: opts.color ?? false,
    verbose: opts.verbose,
    utc: true,
  });
  for (const ev of events) r.onEvent(ev);
  await r.close();
  return out;
}

const summary = `\n${scriptSummary}\n`;

describe('plain reporter', () => {
  it('prints one line per meaningful event, then the summary table', async () => {
    expect(await print(buildEventScript())).toBe(
      `09:30:00 hesa-return run 20261126T093000Z-3f9a started (7 nodes) in runs/20261126T093000Z-3f9a
09:30:00 ▶ extract started (attempt 1/3)
09:30:01 ↻ extract attempt 1/3 failed: cell 2: kernel_died: the kernel died while running cell 2 — retrying in 2s
09:30:03 ▶ extract started (attempt 2/3)
09:30:05 ✔ extract succeeded in 5.6s after 2 attempts
09:30:05 ↷ audit skipped: condition params.period == "P3" was false (params.period="P2")
09:30:05 ▶ validate started (attempt 1/1)
09:30:07 → validate chose export because outputs.errors > 0 was false (outputs.errors=0)
09:30:07 ✔ validate succeeded in 1.4s
09:30:07 ↷ error_report skipped: branch not taken — validate chose export because outputs.errors > 0 was false (outputs.errors=0)
09:30:07 ▶ export[0] started (attempt 1/1)
09:30:07 ▶ export[1] started (attempt 1/1)
09:30:08 ✔ export[0] succeeded in 1.2s
09:30:08 ✖ export[1] failed in 1.5s: cell 3 (In [3]): ValueError: invalid HUSID "12 <34>" ]]> & more
         notebook: runs/20261126T093000Z-3f9a/export.1.ipynb
09:30:08 ✖ export failed in 1.5s (instances: 1 succeeded, 1 failed)
09:30:08 ⊘ summary not run: upstream failed: export
09:30:08 ▶ alert started (attempt 1/1)
09:30:09 ✔ alert succeeded in 490ms
${summary}`,
    );
  });

  it('with verbose, adds what notebooks print (by node) and failure tracebacks without escapes', async () => {
    const out = await print(buildEventScript(), { verbose: true });
    const lines = out.split('\n');
    expect(lines.filter((l) => l.includes(' │ '))).toEqual([
      '09:30:00 extract │ loading students',
      '09:30:05 extract │ rows: 120',
      '09:30:05 extract │ wrote out/students.csv',
      '09:30:07 export[1] │ checking 120 rows',
    ]);
    const failed = lines.findIndex((l) => l.includes('✖ export[1] failed'));
    expect(lines.slice(failed + 1, failed + 8)).toEqual([
      '         notebook: runs/20261126T093000Z-3f9a/export.1.ipynb',
      '         ---------------------------------------------------------------------------',
      '         ValueError                                Traceback (most recent call last)',
      '         Cell In[3], line 2',
      '               1 rows = load(path)',
      '         ----> 2 check(rows)',
      '         ValueError: invalid HUSID "12 <34>" ]]> & more',
    ]);
  });

  it('prints an unfinished output line at the end of the node, and info logs only when verbose', async () => {
    const events: RunEvent[] = [
      { type: 'node_started', at: scriptAt(100), node: 'a', attempt: 1, maxAttempts: 1, notebookPath: 'a.ipynb', params: {} },
      { type: 'node_output', at: scriptAt(1000), node: 'a', attempt: 1, stream: 'stdout', text: 'no newline' },
      { type: 'log', at: scriptAt(1500), level: 'info', message: 'kernel python3 ready', node: 'a' },
      { type: 'log', at: scriptAt(1500), level: 'warn', message: 'no cell tagged "parameters": injected first', node: 'a' },
      { type: 'node_finished', at: scriptAt(2000), node: 'a', status: 'cancelled', attempts: 1, durationMs: 1900 },
    ];
    expect(await print(events, { verbose: true })).toBe(
      `09:30:00 ▶ a started (attempt 1/1)
09:30:01 ℹ a: kernel python3 ready
09:30:01 ⚠ a: no cell tagged "parameters": injected first
09:30:01 a │ no newline
09:30:02 ■ a cancelled after 1.9s
`,
    );
    expect(await print(events)).toBe(
      `09:30:00 ▶ a started (attempt 1/1)
09:30:01 ⚠ a: no cell tagged "parameters": injected first
09:30:02 ■ a cancelled after 1.9s
`,
    );
  });

  it('shows a line that never ends in pieces of 64 KiB, holding back no more than that', async () => {
    const chunk = 'z'.repeat(40 * 1024);
    const events: RunEvent[] = [
      { type: 'node_started', at: scriptAt(100), node: 'a', attempt: 1, maxAttempts: 1, notebookPath: 'a.ipynb', params: {} },
      ...Array.from(
        { length: 5 },
        (): RunEvent => ({ type: 'node_output', at: scriptAt(1000), node: 'a', attempt: 1, stream: 'stdout', text: chunk }),
      ),
    ];
    let out = '';
    const r = createPlainReporter({ out: { write: (t: string) => (out += t) }, color: false, verbose: true, utc: true });
    for (const ev of events) r.onEvent(ev);
    // 200 KiB without a newline: shown as two lines of 80 KiB so far, 40 KiB still held.
    const shown = out.split('\n').filter((l) => l.includes('a │'));
    expect(shown.map((l) => l.length - '09:30:01 a │ '.length)).toEqual([80 * 1024, 80 * 1024]);
    await r.close();
    expect(out.split('\n').filter((l) => l.includes('a │'))).toHaveLength(3);
  });

  it('says when a failure does not fail the run, and when outputs were reused', async () => {
    const out = await print([
      {
        type: 'node_finished',
        at: scriptAt(0),
        node: 'lint',
        status: 'failed',
        attempts: 1,
        durationMs: 300,
        continueOnError: true,
        error: { errorClass: 'timeout', message: 'cell 1 ran longer than 10m', cell: 0 },
      },
      { type: 'node_finished', at: scriptAt(0), node: 'extract', status: 'succeeded', attempts: 1, durationMs: 0, reused: true },
    ]);
    expect(out).toBe(
      `09:30:00 ✖ lint failed in 300ms: cell 1: timeout: cell 1 ran longer than 10m (continue_on_error: the run goes on)
09:30:00 ✔ extract succeeded (reused from an earlier run)
`,
    );
  });

  it('colours icons and statuses only when asked', async () => {
    const events = buildEventScript();
    const coloured = await print(events, { color: true });
    expect(coloured).toContain('\u001b[32m✔\u001b[39m extract succeeded');
    expect(coloured).toContain('\u001b[2m09:30:00\u001b[22m');
    expect(await print(events)).not.toContain('\u001b[');
  });
});
